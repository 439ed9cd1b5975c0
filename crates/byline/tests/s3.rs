//! The media library in an S3-compatible bucket, configured as an operator does
//! (`BYLINE_MEDIA_STORE=s3://bucket/prefix` and the standard `AWS_*` variables), against
//! a real S3 server on loopback: moto's (`pip install "moto[server]"`; `.ci/run` installs
//! it and names it in `MOTO_SERVER`). Outside CI the test skips when it is missing.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn moto_server() -> Option<String> {
    if let Ok(path) = std::env::var("MOTO_SERVER") {
        return Some(path);
    }
    Command::new("moto_server")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
        .then(|| "moto_server".to_owned())
}

/// One plain HTTP request on loopback: the status and the body.
fn http(port: u16, request: &str) -> Option<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    s.write_all(request.as_bytes()).ok()?;
    let mut all = Vec::new();
    s.read_to_end(&mut all).ok()?;
    let status = std::str::from_utf8(all.get(9..12)?).ok()?.parse().ok()?;
    let split = all.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    Some((status, all[split..].to_vec()))
}

fn byline(data: &Path, port: u16) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_byline"));
    for (k, _) in std::env::vars() {
        if k.starts_with("BYLINE_") || k.starts_with("AWS_") {
            c.env_remove(k);
        }
    }
    c.env("RUST_LOG", "warn")
        .env("BYLINE_MEDIA_STORE", "s3://byline-media/outlet/media")
        .env("AWS_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .env("AWS_ALLOW_HTTP", "true")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "byline-test")
        .env("AWS_SECRET_ACCESS_KEY", "byline-test")
        .arg("--data-dir")
        .arg(data);
    c
}

fn run(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn jpeg() -> Vec<u8> {
    use image::{ImageEncoder, Rgb, RgbImage};
    let img = RgbImage::from_fn(400, 300, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .write_image(&img, 400, 300, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

#[test]
fn an_uploaded_picture_lives_in_the_bucket_and_is_served_from_it() {
    let Some(moto) = moto_server() else {
        if std::env::var_os("CI").is_some() {
            panic!("moto_server (pip install \"moto[server]\") is required in CI");
        }
        eprintln!("skipped: no moto_server (pip install \"moto[server]\") for a local S3");
        return;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _moto = Killed(
        Command::new(&moto)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let get = |path: &str| {
        http(
            port,
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        )
    };
    let mut up = false;
    for _ in 0..300 {
        if get("/").is_some() {
            up = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(up, "moto_server did not start");
    let created = http(
        port,
        "PUT /byline-media HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(created.map(|(s, _)| s), Some(200), "creating the bucket");

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    run(byline(data, port).arg("migrate"));
    run(byline(data, port).args([
        "user",
        "add",
        "--email",
        "desk@example.org",
        "--role",
        "editor",
        "--password",
        "correct horse battery staple",
    ]));
    let token = run(byline(data, port).args(["token", "create", "--email", "desk@example.org"]))
        .split_whitespace()
        .last()
        .unwrap()
        .to_owned();
    let mut child = byline(data, port)
        .args(["serve", "--empty", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _node = Killed(child);
    let address = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim_end_matches('/')
        .to_owned();
    let node_port: u16 = address.rsplit(':').next().unwrap().parse().unwrap();

    let boundary = "----s3-test";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nA test card\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"card.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&jpeg());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut request = format!(
        "POST /api/v1/admin/media HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    let mut s = TcpStream::connect(("127.0.0.1", node_port)).unwrap();
    s.write_all(&request).unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let json: serde_json::Value =
        serde_json::from_str(&answer[answer.find("\r\n\r\n").unwrap() + 4..]).unwrap();
    let url = json["url"].as_str().unwrap();
    let url = url[url.find("/media/lib/").unwrap_or_else(|| panic!("{url}"))..].to_owned();

    // Served by the node, from the bucket; in the bucket under its prefix; not on disk.
    let (status, served) = http(
        node_port,
        &format!("GET {url} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"),
    )
    .unwrap();
    assert_eq!(status, 200);
    assert!(served.len() > 100, "a picture, not an error");
    // moto's own view of its buckets (objects are private to plain GETs): the files sit
    // in the bucket under the configured prefix.
    let (status, everything) = get("/moto-api/data.json").unwrap();
    assert_eq!(status, 200);
    let everything = String::from_utf8_lossy(&everything);
    let object = format!("outlet/media/{}", url.trim_start_matches("/media/"));
    assert!(everything.contains(&object), "{object} not in the bucket");
    assert!(
        !data.join("media/lib").exists(),
        "nothing was written to the local media folder"
    );
}
