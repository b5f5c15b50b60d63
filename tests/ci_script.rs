//! `.ci/run` refuses the variables that would make the suite pass without testing:
//! `BLESS` (re-record instead of compare) and `BEDROCK_MIGRATE_SKIP_PRE_COMMIT`.

use std::process::Command;

#[test]
fn ci_refuses_variables_that_turn_tests_off() {
    for var in ["BLESS", "BEDROCK_MIGRATE_SKIP_PRE_COMMIT"] {
        let out = Command::new("bash")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run"))
            .env(var, "1")
            .output()
            .expect("bash runs");
        assert_eq!(out.status.code(), Some(2), "{var}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!("error: {var} is set;")),
            "{var}: {stderr}"
        );
        assert!(
            out.stdout.is_empty(),
            "{var}: it must stop before doing anything"
        );
    }
}
