//! Parsing tests over workbooks the tests make themselves (and patched copies of the shared samples):
//! the 1904 date system, sheets refused for birth numbers, ages from dates of birth, and a fuzz-style
//! run over mutated workbooks that must never panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ages;
mod birth_numbers;
mod date1904;
mod fuzz;
mod support;
