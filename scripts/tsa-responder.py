#!/usr/bin/env python3
"""A TEST RFC 3161 timestamp authority on loopback, for the tests.

Makes a throwaway TSA key and certificate (ECDSA P-256, extendedKeyUsage
critical timeStamping, TEST in its subject) with the openssl command, then
answers every HTTP POST of an `application/timestamp-query` with
`openssl ts -reply` over it. Listens on 127.0.0.1, on a free port that it
writes to PORTFILE once it is ready.

Usage: scripts/tsa-responder.py PORTFILE      (needs python3 and openssl)
"""

import http.server
import os
import subprocess
import sys
import tempfile

MAX_QUERY = 64 * 1024


def main() -> None:
    portfile = sys.argv[1]
    work = tempfile.mkdtemp(prefix="tizilim-tsa-")
    key, cert = os.path.join(work, "tsa.key"), os.path.join(work, "tsa.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", key, "-out", cert, "-days", "3650",
         "-subj", "/C=KZ/O=TEST tizilim/CN=TEST tizilim TSA",
         "-addext", "extendedKeyUsage=critical,timeStamping",
         "-addext", "keyUsage=critical,digitalSignature"],
        check=True, capture_output=True)
    with open(os.path.join(work, "serial"), "w") as f:
        f.write("01\n")
    conf = os.path.join(work, "tsa.cnf")
    with open(conf, "w") as f:
        f.write(f"""[ tsa ]
default_tsa = test_tsa
[ test_tsa ]
dir = {work}
serial = $dir/serial
crypto_device = builtin
signer_cert = {cert}
signer_key = {key}
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
""")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            n = int(self.headers.get("Content-Length", "0"))
            if n <= 0 or n > MAX_QUERY:
                self.send_error(400, "bad length")
                return
            query = self.rfile.read(n)
            with tempfile.TemporaryDirectory(dir=work) as d:
                q, r = os.path.join(d, "q.tsq"), os.path.join(d, "r.tsr")
                with open(q, "wb") as f:
                    f.write(query)
                p = subprocess.run(
                    ["openssl", "ts", "-reply", "-config", conf, "-queryfile", q, "-out", r],
                    capture_output=True)
                if p.returncode != 0:
                    self.send_error(500, p.stderr.decode(errors="replace")[:200])
                    return
                with open(r, "rb") as f:
                    body = f.read()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    tmp = portfile + ".part"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, portfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
