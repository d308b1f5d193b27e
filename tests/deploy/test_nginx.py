"""deploy/nginx/passerelle.conf as nginx runs it: checked by `nginx -t` inside a minimal
nginx.conf, then served for real on loopback ports with a self-signed certificate."""

import http.client
import ssl
import subprocess
import time

import pytest

from tests.support import ROOT, require_program

from .prod_local import free_port, log_with_lines

SITE = ROOT / "deploy" / "nginx" / "passerelle.conf"
HASHED_CSS = "css/site.0123456789ab.css"

MAIN_CONF = """
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
{user}
events {{}}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/site.conf;
}}
"""


@pytest.fixture
def site(tmp_path):
    """The site file with its server paths and ports moved into tmp_path, a certificate
    made for the test, and a collected static file."""
    nginx = require_program("nginx", "nginx")
    openssl = require_program("openssl", "openssl")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=passerelle.example.org", "-keyout", tmp_path / "privkey.pem",
         "-out", tmp_path / "fullchain.pem"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "static" / HASHED_CSS).write_text("body { color: black }\n" * 100)
    http_port, https_port = free_port(), free_port()
    text = (
        SITE.read_text()
        .replace("/etc/letsencrypt/live/passerelle.example.org/", f"{tmp_path}/")
        .replace("/var/log/nginx/", f"{tmp_path}/")
        .replace("/var/lib/passerelle/", f"{tmp_path}/")
        .replace("listen [::]:80;", "")
        .replace("listen [::]:443 ssl http2;", "")
        .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    )
    (tmp_path / "site.conf").write_text(text)
    # As root, nginx's workers would run as nobody, who cannot read pytest's tmp_path.
    user = "user root;" if subprocess.os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(MAIN_CONF.format(dir=tmp_path, user=user))
    command = [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
               "-e", str(tmp_path / "error.log")]  # fmt: skip
    return {"dir": tmp_path, "command": command, "http": http_port, "https": https_port}


@pytest.fixture
def running(site):
    server = subprocess.Popen(site["command"], stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            get(site["https"], "/static/" + HASHED_CSS)
            break
        except OSError:
            time.sleep(0.1)
    yield site
    server.terminate()
    server.wait(30)


def get(port, path, tls=True):
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": "passerelle.example.org",
                                             "Accept-Encoding": "gzip"})  # fmt: skip
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_nginx_accepts_the_site(site):
    result = subprocess.run([*site["command"], "-t"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_plain_http_moves_to_https(running):
    response = get(running["http"], "/rendez-vous/?step=2", tls=False)
    assert response.status == 301
    assert response.getheader("Location") == "https://passerelle.example.org/rendez-vous/?step=2"


def test_hashed_static_files_are_cached_for_a_year_and_compressed(running):
    response = get(running["https"], "/static/" + HASHED_CSS)
    assert response.status == 200
    assert "immutable" in response.getheader("Cache-Control")
    assert response.getheader("Content-Encoding") == "gzip"


def test_the_access_log_keeps_no_token_and_no_query_string(running):
    access_log = running["dir"] / "passerelle.access.log"
    before = len(access_log.read_text().splitlines())
    # Nothing listens behind nginx here: the answer is a 502, the log line is the point.
    get(running["https"], "/rendez-vous/agenda/Secret-Feed-Token_123.ics?since=Secret-Query")
    get(running["https"], "/rendez-vous/gerer/Secret-Manage-Token/annuler/")
    log = log_with_lines(access_log, before + 2)
    assert "GET /rendez-vous/agenda/*** " in log
    assert "GET /rendez-vous/gerer/***/annuler/ " in log
    assert "Secret" not in log
