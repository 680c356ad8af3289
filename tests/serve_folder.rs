//! `motcua serve` publishes the folder on an empty database only; on a restart, every file
//! edited or added since is named in the log with how to publish it, not ignored in silence.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// Starts `serve` on `url` over `folder`, and returns its log lines up to "serving on".
fn start(url: &str, folder: &Path) -> Vec<String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", url, "--procedures"])
        .arg(folder)
        .current_dir(repo)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("motcua serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let stdout = child.stdout.take().expect("stdout");
    let out = std::thread::spawn(move || BufReader::new(stdout).lines().map_while(Result::ok).collect::<Vec<_>>());
    let mut lines = Vec::new();
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        let serving = line.contains("serving on");
        lines.push(line);
        if serving {
            break;
        }
    }
    child.kill().expect("killed");
    child.wait().expect("reaped");
    lines.extend(out.join().expect("stdout reader"));
    assert!(lines.iter().any(|l| l.contains("serving on")), "the server did not start:\n{}", lines.join("\n"));
    lines
}

#[test]
fn files_edited_or_added_after_the_first_start_are_named_with_how_to_publish_them() {
    let dir = std::env::temp_dir().join(format!("motcua-serve-folder-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let folder = dir.join("procedures");
    std::fs::create_dir_all(&folder).expect("folder");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let birth = "1.001193-dang-ky-khai-sinh.yaml";
    let land = "1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml";
    for name in [birth, land] {
        std::fs::copy(repo.join("procedures").join(name), folder.join(name)).expect("copied");
    }
    let url = format!("sqlite://{}?mode=rwc", dir.join("motcua.db").display());
    let first = start(&url, &folder);
    assert!(!first.iter().any(|l| l.contains("not published") || l.contains("edited since")), "{first:?}");

    // The land file edited in place, and a new version of the birth file added.
    let text = std::fs::read_to_string(folder.join(land)).expect("read");
    std::fs::write(folder.join(land), text.replace("working_days: 5,", "working_days: 4,")).expect("edited");
    let text = std::fs::read_to_string(folder.join(birth)).expect("read");
    std::fs::write(folder.join("1.001193-v2.yaml"), text.replacen("\nversion: 1\n", "\nversion: 2\n", 1))
        .expect("added");
    let second = start(&url, &folder);
    let about = |name: &str| second.iter().find(|l| l.contains(name)).cloned().unwrap_or_default();
    let edited = about(land);
    assert!(edited.contains("edited since version 1 of `1.004227`"), "{second:?}");
    assert!(edited.contains("/api/v1/procedures/1.004227/draft"), "{edited}");
    let added = about("1.001193-v2.yaml");
    assert!(added.contains("version 2 of `1.001193` is not published"), "{second:?}");
    assert!(!second.iter().any(|l| l.contains(birth)), "the unchanged file is not mentioned: {second:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
