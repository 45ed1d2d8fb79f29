#!/usr/bin/env python3
"""Checks data/demo/portfolio.json, the demo portfolio loaded by `tracker demo`.

Run from anywhere:  python3 data/demo/check_portfolio.py [--file PATH] [--ruian DIR] [--today YYYY-MM-DD]

What it checks (errors make the exit code 1; warnings do not):
- the JSON keys are exactly those of the schema (top level and every record);
- unique keys: region/district/municipality codes, programme (period, code), priority codes within a
  programme, call ids, target-group codes, IČO, registration numbers;
- referential integrity: municipality -> district -> region, project -> organisation, target groups,
  municipalities, and the call and priority encoded in the registration number;
- IČO check digit (weights 8..2, check = (11 - sum mod 11) mod 10) and municipality-code check digit
  (weights 6..2, check = (11 - sum mod 11) mod 10);
- registration numbers: already normalised, and of the 2021-2027 or the 2014-2020 shape (told apart by
  shape, not by year), with the project's programme period matching the shape;
- codes and names against the RÚIAN files (UI_VUSC, UI_OKRES, UI_OBEC; Windows-1250, `;`), when the
  directory exists;
- dates are ISO and start <= end; status is one of the four codes and fits the dates relative to
  --today (a warning only: demo dates age);
- total_eligible is a decimal string with exactly two decimals; an illustrative amount is said so in
  the description; target-group codes are ASCII kebab-case and names start with a capital letter.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_FILE = HERE / "portfolio.json"
# data/demo -> repository root (main) -> its parent holds shared/
DEFAULT_RUIAN = HERE.parent.parent.parent / "shared" / "data" / "ruian"

RN_2021 = re.compile(r"^CZ\.(\d{2})\.(\d{2})\.(\d{2})/(\d{2})/(\d{2})_(\d{3})/(\d{7})$")
RN_2014 = re.compile(r"^CZ\.(\d{2})\.(\d{1,2})\.(\d{1,2})/\d\.\d/\d\.\d/(\d{2})_(\d{3})/(\d{7})$")
CALL_ID = re.compile(r"^\d{2}_\d{2}_\d{3}$")
MONEY = re.compile(r"^\d+\.\d{2}$")
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
STATUSES = ("preparation", "realisation", "finished", "closed")

KEYS = {
    "top": {"note", "regions", "districts", "municipalities", "programmes", "calls", "target_groups",
            "organisations", "projects"},
    "region": {"code", "name", "nuts3"},
    "district": {"code", "name", "region_code", "lau1"},
    "municipality": {"code", "name", "district_code"},
    "programme": {"period", "code", "short_name", "name", "priorities"},
    "priority": {"code", "name"},
    "call": {"period", "programme_code", "call_id", "name"},
    "target_group": {"code", "name"},
    "organisation": {"ico", "name"},
    "project": {"registration_number", "name", "acronym", "beneficiary_ico", "status", "start_date",
                "end_date", "description", "total_eligible", "amounts_illustrative", "target_groups",
                "municipalities"},
}


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, msg: str) -> None:
        self.errors.append(msg)

    def warn(self, msg: str) -> None:
        self.warnings.append(msg)


def ico_ok(ico: str) -> bool:
    if not re.fullmatch(r"\d{8}", ico):
        return False
    s = sum(int(d) * w for d, w in zip(ico[:7], (8, 7, 6, 5, 4, 3, 2)))
    return (11 - s % 11) % 10 == int(ico[7])


def municipality_code_ok(code: int) -> bool:
    s = str(code)
    if not re.fullmatch(r"5\d{5}", s):
        return False
    total = sum(int(d) * w for d, w in zip(s[:5], (6, 5, 4, 3, 2)))
    return (11 - total % 11) % 10 == int(s[5])


def normalise_rn(raw: str) -> str:
    s = raw.strip().replace("\u00a0", " ").replace(" ", "")
    return "CZ" + s[2:] if s[:2].lower() == "cz" else s


def parse_rn(rn: str) -> dict | None:
    """Period, programme, priority and call id of a registration number, by shape."""
    m = RN_2021.match(rn)
    if m:
        prog, prio, _so, _lvl, year, num, _serial = m.groups()
        return {"period": "2021-2027", "programme": prog, "priority": prio, "call_id": f"{prog}_{year}_{num}"}
    m = RN_2014.match(rn)
    if m:
        prog, prio, _so, year, num, _serial = m.groups()
        return {"period": "2014-2020", "programme": prog, "priority": prio, "call_id": f"{prog}_{year}_{num}"}
    return None


def iso_date(value: object) -> dt.date | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def check_keys(rep: Report, kind: str, obj: object, where: str) -> None:
    if not isinstance(obj, dict):
        rep.error(f"{where}: expected an object")
        return
    missing = KEYS[kind] - obj.keys()
    extra = obj.keys() - KEYS[kind]
    if missing:
        rep.error(f"{where}: missing keys {sorted(missing)}")
    if extra:
        rep.error(f"{where}: unknown keys {sorted(extra)}")


def unique(rep: Report, items: list, key, what: str) -> None:
    seen = set()
    for it in items:
        k = key(it)
        if k in seen:
            rep.error(f"duplicate {what}: {k}")
        seen.add(k)


def read_ruian(directory: Path) -> dict[str, dict[int, dict[str, str]]] | None:
    files = {"vusc": "UI_VUSC.csv", "okres": "UI_OKRES.csv", "obec": "UI_OBEC.csv"}
    if not all((directory / f).is_file() for f in files.values()):
        return None
    out = {}
    for key, name in files.items():
        with open(directory / name, encoding="cp1250", newline="") as f:
            out[key] = {int(r["KOD"]): r for r in csv.DictReader(f, delimiter=";")}
    return out


def check(data: dict, ruian: dict | None, today: dt.date) -> Report:
    rep = Report()
    check_keys(rep, "top", data, "top level")
    if not isinstance(data.get("note"), str) or not data.get("note", "").strip():
        rep.error("note: must be a non-empty Czech sentence")

    regions = data.get("regions", [])
    districts = data.get("districts", [])
    municipalities = data.get("municipalities", [])
    programmes = data.get("programmes", [])
    calls = data.get("calls", [])
    groups = data.get("target_groups", [])
    orgs = data.get("organisations", [])
    projects = data.get("projects", [])

    for i, r in enumerate(regions):
        check_keys(rep, "region", r, f"regions[{i}]")
    for i, d in enumerate(districts):
        check_keys(rep, "district", d, f"districts[{i}]")
    for i, m in enumerate(municipalities):
        check_keys(rep, "municipality", m, f"municipalities[{i}]")
    unique(rep, regions, lambda r: r.get("code"), "region code")
    unique(rep, districts, lambda d: d.get("code"), "district code")
    unique(rep, municipalities, lambda m: m.get("code"), "municipality code")

    # Territory: municipality -> district -> region, check digits, RÚIAN.
    region_codes = {r.get("code") for r in regions}
    district_by_code = {d.get("code"): d for d in districts}
    region_by_code = {r.get("code"): r for r in regions}
    for r in regions:
        if not re.fullmatch(r"CZ0\d{2}", str(r.get("nuts3", ""))):
            rep.error(f"region {r.get('code')}: NUTS 3 {r.get('nuts3')!r} is not CZ0xx")
    for d in districts:
        if d.get("region_code") not in region_codes:
            rep.error(f"district {d.get('code')}: region {d.get('region_code')} not in regions")
        reg = region_by_code.get(d.get("region_code"))
        if reg and not str(d.get("lau1", "")).startswith(str(reg.get("nuts3"))):
            rep.error(f"district {d.get('code')}: LAU 1 {d.get('lau1')} not inside NUTS 3 {reg.get('nuts3')}")
    for m in municipalities:
        code = m.get("code")
        if not isinstance(code, int) or not municipality_code_ok(code):
            rep.error(f"municipality {code}: bad code or check digit")
        if m.get("district_code") not in district_by_code:
            rep.error(f"municipality {code}: district {m.get('district_code')} not in districts")
    if ruian is not None:
        for r in regions:
            row = ruian["vusc"].get(r.get("code"))
            if row is None:
                rep.error(f"region {r.get('code')}: not in UI_VUSC")
            elif (row["NAZEV"], row["NUTS_LAU"]) != (r.get("name"), r.get("nuts3")):
                rep.error(f"region {r.get('code')}: {r.get('name')}/{r.get('nuts3')} != RÚIAN {row['NAZEV']}/{row['NUTS_LAU']}")
        for d in districts:
            row = ruian["okres"].get(d.get("code"))
            if row is None:
                rep.error(f"district {d.get('code')}: not in UI_OKRES")
            elif (row["NAZEV"], int(row["VUSC_KOD"]), row["NUTS_LAU"]) != (d.get("name"), d.get("region_code"), d.get("lau1")):
                rep.error(f"district {d.get('code')}: {d.get('name')}/{d.get('region_code')}/{d.get('lau1')} != RÚIAN "
                          f"{row['NAZEV']}/{row['VUSC_KOD']}/{row['NUTS_LAU']}")
        for m in municipalities:
            row = ruian["obec"].get(m.get("code"))
            if row is None:
                rep.error(f"municipality {m.get('code')}: not in UI_OBEC")
            elif (row["NAZEV"], int(row["OKRES_KOD"])) != (m.get("name"), m.get("district_code")):
                rep.error(f"municipality {m.get('code')}: {m.get('name')}/{m.get('district_code')} != RÚIAN "
                          f"{row['NAZEV']}/{row['OKRES_KOD']}")
    else:
        rep.warn("RÚIAN directory not found: codes and names not compared with UI_* files")

    # Programmes, priorities, calls.
    prog_by_key = {}
    for i, p in enumerate(programmes):
        check_keys(rep, "programme", p, f"programmes[{i}]")
        key = (p.get("period"), p.get("code"))
        if key in prog_by_key:
            rep.error(f"duplicate programme {key}")
        prog_by_key[key] = p
        if p.get("period") not in ("2014-2020", "2021-2027"):
            rep.error(f"programme {key}: unknown period")
        for j, pr in enumerate(p.get("priorities", [])):
            check_keys(rep, "priority", pr, f"programmes[{i}].priorities[{j}]")
        unique(rep, p.get("priorities", []), lambda pr: pr.get("code"), f"priority code in {key}")
        width = 2 if p.get("period") == "2021-2027" else 1
        for pr in p.get("priorities", []):
            if not re.fullmatch(r"\d{%d}" % width, str(pr.get("code", ""))):
                rep.error(f"programme {key}: priority code {pr.get('code')!r} should have {width} digit(s)")
    opz_plus = prog_by_key.get(("2021-2027", "03"))
    if opz_plus is None:
        rep.error("programme OPZ+ (2021-2027, 03) missing")
    elif sorted(pr.get("code") for pr in opz_plus.get("priorities", [])) != ["01", "02", "03", "04", "05"]:
        rep.error("OPZ+ must carry all five priorities 01..05")

    call_by_id = {}
    for i, c in enumerate(calls):
        check_keys(rep, "call", c, f"calls[{i}]")
        cid = c.get("call_id", "")
        if not CALL_ID.fullmatch(str(cid)):
            rep.error(f"call {cid!r}: not of the form PP_YY_NNN")
        elif cid[:2] != c.get("programme_code"):
            rep.error(f"call {cid}: programme code {c.get('programme_code')} does not match")
        if (c.get("period"), c.get("programme_code")) not in prog_by_key:
            rep.error(f"call {cid}: programme {c.get('period')}/{c.get('programme_code')} not in programmes")
        if not str(c.get("name", "")).strip():
            rep.error(f"call {cid}: empty name")
        call_by_id[cid] = c
    unique(rep, calls, lambda c: c.get("call_id"), "call id")

    # Target groups and organisations.
    for i, g in enumerate(groups):
        check_keys(rep, "target_group", g, f"target_groups[{i}]")
        if not KEBAB.fullmatch(str(g.get("code", ""))):
            rep.error(f"target group {g.get('code')!r}: code is not ASCII kebab-case")
        name = str(g.get("name", ""))
        if not name or not name[0].isupper():
            rep.error(f"target group {g.get('code')}: name must start with a capital letter")
    unique(rep, groups, lambda g: g.get("code"), "target-group code")
    group_codes = {g.get("code") for g in groups}

    for i, o in enumerate(orgs):
        check_keys(rep, "organisation", o, f"organisations[{i}]")
        if not ico_ok(str(o.get("ico", ""))):
            rep.error(f"organisation {o.get('name')}: IČO {o.get('ico')!r} fails the check digit or is not 8 digits")
    unique(rep, orgs, lambda o: o.get("ico"), "IČO")
    org_icos = {o.get("ico") for o in orgs}

    # Projects.
    muni_codes = {m.get("code") for m in municipalities}
    used_icos = set()
    any_non_round = False
    for i, p in enumerate(projects):
        where = f"project {p.get('registration_number', i)}"
        check_keys(rep, "project", p, where)
        rn = p.get("registration_number", "")
        if normalise_rn(rn) != rn:
            rep.error(f"{where}: registration number is not normalised")
        parsed = parse_rn(rn)
        if parsed is None:
            rep.error(f"{where}: registration number has neither the 2021-2027 nor the 2014-2020 shape")
        else:
            prog = prog_by_key.get((parsed["period"], parsed["programme"]))
            if prog is None:
                rep.error(f"{where}: programme {parsed['period']}/{parsed['programme']} not in programmes")
            elif parsed["priority"] not in {pr.get("code") for pr in prog.get("priorities", [])}:
                rep.error(f"{where}: priority {parsed['priority']} not in {prog.get('short_name')}")
            call = call_by_id.get(parsed["call_id"])
            if call is None:
                rep.error(f"{where}: call {parsed['call_id']} not in calls")
            elif call.get("period") != parsed["period"]:
                rep.error(f"{where}: call {parsed['call_id']} is listed for {call.get('period')}, "
                          f"the registration number has the {parsed['period']} shape")
        if p.get("beneficiary_ico") not in org_icos:
            rep.error(f"{where}: beneficiary IČO {p.get('beneficiary_ico')} not in organisations")
        used_icos.add(p.get("beneficiary_ico"))
        acr = p.get("acronym")
        if acr is not None and (not isinstance(acr, str) or not acr.strip() or len(acr) > 32):
            rep.error(f"{where}: acronym must be null or 1..32 characters")
        if not str(p.get("name", "")).strip():
            rep.error(f"{where}: empty name")
        start, end = iso_date(p.get("start_date")), iso_date(p.get("end_date"))
        if start is None or end is None:
            rep.error(f"{where}: dates must be ISO YYYY-MM-DD")
        elif start > end:
            rep.error(f"{where}: start {start} after end {end}")
        status = p.get("status")
        if status not in STATUSES:
            rep.error(f"{where}: status {status!r} not one of {STATUSES}")
        elif start and end:
            expected = ("preparation" if today < start else "realisation" if today <= end else None)
            if expected and status != expected:
                rep.warn(f"{where}: status {status} but on {today} the dates say {expected}")
            if expected is None and status not in ("finished", "closed"):
                rep.warn(f"{where}: status {status} but the project ended on {end}")
        te = p.get("total_eligible")
        if te is not None:
            if not isinstance(te, str) or not MONEY.fullmatch(te):
                rep.error(f"{where}: total_eligible {te!r} is not a decimal string with two decimals")
            elif not re.fullmatch(r"\d*0{5}\.00", te):
                any_non_round = True
        if not isinstance(p.get("amounts_illustrative"), bool):
            rep.error(f"{where}: amounts_illustrative must be true or false")
        desc = str(p.get("description", ""))
        if not desc.strip():
            rep.error(f"{where}: empty description")
        if p.get("amounts_illustrative") and not re.search(r"smyšlen|ilustrativn", desc, re.IGNORECASE):
            rep.error(f"{where}: amounts are illustrative but the description does not say so")
        for g in p.get("target_groups", []):
            if g not in group_codes:
                rep.error(f"{where}: target group {g!r} not in target_groups")
        if len(set(p.get("target_groups", []))) != len(p.get("target_groups", [])):
            rep.error(f"{where}: duplicate target group")
        if not p.get("municipalities"):
            rep.warn(f"{where}: no municipalities")
        for c in p.get("municipalities", []):
            if c not in muni_codes:
                rep.error(f"{where}: municipality {c} not in municipalities")
        if len(set(p.get("municipalities", []))) != len(p.get("municipalities", [])):
            rep.error(f"{where}: duplicate municipality")
    unique(rep, projects, lambda p: p.get("registration_number"), "registration number")
    if projects and not any_non_round:
        rep.warn("no project has a non-round total_eligible (wanted for testing money display)")
    for o in org_icos - used_icos:
        rep.warn(f"organisation {o} is not the beneficiary of any project")
    for c in sorted(call_by_id):
        if not any((parse_rn(p.get("registration_number", "")) or {}).get("call_id") == c for p in projects):
            rep.warn(f"call {c} is used by no project")
    return rep


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", type=Path, default=DEFAULT_FILE)
    ap.add_argument("--ruian", type=Path, default=DEFAULT_RUIAN)
    ap.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    args = ap.parse_args()
    raw = args.file.read_text(encoding="utf-8")
    data = json.loads(raw)
    rep = check(data, read_ruian(args.ruian), args.today)
    counts = {k: len(data.get(k, [])) for k in ("regions", "districts", "municipalities", "programmes",
                                                   "calls", "target_groups", "organisations", "projects")}
    print(f"{args.file}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    for w in rep.warnings:
        print(f"warning: {w}")
    for e in rep.errors:
        print(f"error: {e}")
    print("OK" if not rep.errors else f"{len(rep.errors)} error(s)")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main())
