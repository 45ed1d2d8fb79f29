# The two commands of the README. Everything else is in scripts/.
.PHONY: run test fmt lint

run:
	scripts/run.sh

test:
	scripts/test.sh

fmt:
	cargo fmt --all

lint:
	cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
