//! Qualified signatures (issue 19): a CA hierarchy made here with
//! rust-openssl (root, intermediate, signer; expired, revoked, wrong key
//! usage, another IIN, an untrusted root, a GOST key), each refused with the
//! reason named; `openssl cms -verify` reads what `doc export --cms` writes;
//! CRLs, the trust store and the seals; bounded reads of user-named files.

mod common;

use std::path::PathBuf;

use chrono::Utc;
use common::{ADMIN_IIN, Register, inclusion, stderr, stdout};
use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::{AuthorityKeyIdentifier, BasicConstraints, KeyUsage};
use openssl::x509::{X509, X509Builder, X509NameBuilder};
use tizilim::sign::x509::{CertRefused, TrustStore};

fn ok(o: &std::process::Output) {
    assert!(o.status.success(), "{}\n{}", stdout(o), stderr(o));
}

fn key() -> PKey<Private> {
    tizilim::sign::testca::p256_key().unwrap()
}

/// What a certificate made here is.
struct Spec<'a> {
    cn: &'a str,
    iin: Option<&'a str>,
    ca: bool,
    /// digitalSignature + nonRepudiation (or keyCertSign for a CA); else
    /// keyEncipherment only.
    signs: bool,
    not_before: &'a str,
    not_after: &'a str,
}

impl Spec<'_> {
    fn signer<'a>(cn: &'a str, iin: &'a str) -> Spec<'a> {
        Spec {
            cn,
            iin: Some(iin),
            ca: false,
            signs: true,
            not_before: "20200101000000Z",
            not_after: "20391231235959Z",
        }
    }
    fn ca(cn: &str) -> Spec<'_> {
        Spec {
            cn,
            iin: None,
            ca: true,
            signs: true,
            not_before: "20200101000000Z",
            not_after: "20391231235959Z",
        }
    }
}

/// A certificate for `key` per `spec`, issued by `issuer` (self-signed if none).
fn cert(spec: &Spec, key: &PKey<Private>, issuer: Option<(&X509, &PKey<Private>)>) -> X509 {
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_nid(Nid::COUNTRYNAME, "KZ").unwrap();
    name.append_entry_by_nid(Nid::COMMONNAME, spec.cn).unwrap();
    if let Some(iin) = spec.iin {
        name.append_entry_by_nid(Nid::SERIALNUMBER, &format!("IIN{iin}"))
            .unwrap();
    }
    let name = name.build();
    let mut b = X509Builder::new().unwrap();
    b.set_version(2).unwrap();
    let mut sn = BigNum::new().unwrap();
    sn.rand(100, MsbOption::MAYBE_ZERO, false).unwrap();
    b.set_serial_number(&sn.to_asn1_integer().unwrap()).unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(issuer.map(|(c, _)| c.subject_name()).unwrap_or(&name))
        .unwrap();
    b.set_pubkey(key).unwrap();
    b.set_not_before(&Asn1Time::from_str(spec.not_before).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::from_str(spec.not_after).unwrap())
        .unwrap();
    if spec.ca {
        b.append_extension(BasicConstraints::new().critical().ca().build().unwrap())
            .unwrap();
        b.append_extension(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()
                .unwrap(),
        )
        .unwrap();
    } else {
        let mut ku = KeyUsage::new();
        ku.critical();
        if spec.signs {
            ku.digital_signature().non_repudiation();
        } else {
            ku.key_encipherment();
        }
        b.append_extension(ku.build().unwrap()).unwrap();
    }
    let ski = openssl::x509::extension::SubjectKeyIdentifier::new()
        .build(&b.x509v3_context(None, None))
        .unwrap();
    b.append_extension(ski).unwrap();
    if let Some((ic, _)) = issuer {
        let aki = AuthorityKeyIdentifier::new()
            .keyid(true)
            .build(&b.x509v3_context(Some(ic), None))
            .unwrap();
        b.append_extension(aki).unwrap();
    }
    b.sign(
        issuer.map(|(_, k)| k).unwrap_or(key),
        MessageDigest::sha256(),
    )
    .unwrap();
    b.build()
}

/// A CA (certificate and key) as `TestCa`, to make CRLs with.
fn as_test_ca(cert: &X509, key: &PKey<Private>) -> tizilim::sign::testca::TestCa {
    tizilim::sign::testca::TestCa {
        cert: cert.clone(),
        key: key.clone(),
    }
}

/// The hierarchy: a root, an intermediate under it, and a trust folder that
/// holds the root, the intermediate and a CRL of each.
struct Pki {
    dir: tempfile::TempDir,
    root: (X509, PKey<Private>),
    inter: (X509, PKey<Private>),
}

impl Pki {
    fn new() -> Pki {
        let rk = key();
        let root = cert(&Spec::ca("TEST NCA RK root"), &rk, None);
        let ik = key();
        let inter = cert(
            &Spec::ca("TEST NCA RK intermediate"),
            &ik,
            Some((&root, &rk)),
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("root.pem"), root.to_pem().unwrap()).unwrap();
        std::fs::write(dir.path().join("inter.pem"), inter.to_pem().unwrap()).unwrap();
        let pki = Pki {
            dir,
            root: (root, rk),
            inter: (inter, ik),
        };
        pki.revoke(&[]);
        std::fs::write(
            pki.dir.path().join("root.crl.pem"),
            as_test_ca(&pki.root.0, &pki.root.1)
                .crl()
                .unwrap()
                .to_pem()
                .unwrap(),
        )
        .unwrap();
        pki
    }

    /// The intermediate's CRL, revoking each certificate at its instant.
    fn revoke(&self, revoked: &[(&X509, i64)]) {
        let crl = as_test_ca(&self.inter.0, &self.inter.1)
            .crl_revoking(revoked)
            .unwrap();
        std::fs::write(self.dir.path().join("inter.crl.pem"), crl.to_pem().unwrap()).unwrap();
    }

    fn trust(&self) -> TrustStore {
        TrustStore::open(self.dir.path()).unwrap()
    }

    /// A signer certificate from the intermediate.
    fn issue(&self, spec: &Spec) -> (X509, PKey<Private>) {
        let k = key();
        (cert(spec, &k, Some((&self.inter.0, &self.inter.1))), k)
    }
}

const IIN: &str = "880101300123";
const OTHER_IIN: &str = "900202400121";

/// The certificate `der` with its key's algorithm named GOST R 34.10-2012
/// (1.2.643.7.1.1.1.1), re-signed by `issuer` (openssl cannot make a GOST
/// key; what is checked is the OID).
fn with_gost_oid(c: &X509, issuer: &PKey<Private>) -> X509 {
    use der::{Decode, Encode};
    let mut parsed = x509_cert::Certificate::from_der(&c.to_der().unwrap()).unwrap();
    parsed.tbs_certificate.subject_public_key_info.algorithm.oid =
        der::oid::ObjectIdentifier::new_unwrap("1.2.643.7.1.1.1.1");
    let tbs = parsed.tbs_certificate.to_der().unwrap();
    let mut signer = openssl::sign::Signer::new(MessageDigest::sha256(), issuer).unwrap();
    signer.update(&tbs).unwrap();
    let sig = signer.sign_to_vec().unwrap();
    parsed.signature = der::asn1::BitString::from_bytes(&sig).unwrap();
    X509::from_der(&parsed.to_der().unwrap()).unwrap()
}

#[test]
fn each_certificate_that_may_not_sign_is_refused_with_its_reason() {
    let pki = Pki::new();
    let trust = pki.trust();
    let now = Utc::now();
    let check =
        |c: &X509, chain: &[X509]| trust.check_signer(c, chain, now, Some(("dana", Some(IIN))));

    // The good one, through the intermediate, as an NCA RK signer is.
    let (good, _) = pki.issue(&Spec::signer("TEST Dana Seitkali", IIN));
    assert_eq!(check(&good, &[]), Ok("ecdsa-p256"));
    // The same with only the root trusted and the intermediate carried along.
    let root_only = tempfile::tempdir().unwrap();
    std::fs::write(
        root_only.path().join("root.pem"),
        pki.root.0.to_pem().unwrap(),
    )
    .unwrap();
    for f in ["root.crl.pem", "inter.crl.pem"] {
        std::fs::copy(pki.dir.path().join(f), root_only.path().join(f)).unwrap();
    }
    let t2 = TrustStore::open(root_only.path()).unwrap();
    assert!(
        t2.check_signer(
            &good,
            std::slice::from_ref(&pki.inter.0),
            now,
            Some(("dana", Some(IIN)))
        )
        .is_ok()
    );
    let e = t2
        .check_signer(&good, &[], now, Some(("dana", Some(IIN))))
        .unwrap_err();
    assert!(matches!(e, CertRefused::Untrusted { .. }), "{e}");

    // Expired.
    let (expired, _) = pki.issue(&Spec {
        not_after: "20210101000000Z",
        ..Spec::signer("TEST Expired", IIN)
    });
    let e = check(&expired, &[]).unwrap_err();
    assert!(matches!(e, CertRefused::NotValid { .. }), "{e}");
    assert!(e.to_string().contains("not valid at"), "{e}");

    // Revoked on the intermediate's CRL.
    let (revoked, _) = pki.issue(&Spec::signer("TEST Revoked", IIN));
    pki.revoke(&[(&revoked, now.timestamp() - 3600)]);
    let trust_r = pki.trust();
    let e = trust_r
        .check_signer(&revoked, &[], now, Some(("dana", Some(IIN))))
        .unwrap_err();
    assert!(matches!(e, CertRefused::Revoked { .. }), "{e}");
    assert!(e.to_string().contains("revoked on a CRL"), "{e}");
    // What it signed before its revocation still verifies; after, not.
    assert!(
        trust_r
            .check_signed_at(&revoked, &[], now - chrono::Duration::hours(2))
            .is_ok()
    );
    let e = trust_r.check_signed_at(&revoked, &[], now).unwrap_err();
    assert!(matches!(e, CertRefused::Revoked { .. }), "{e}");
    pki.revoke(&[]);

    // Wrong key usage (keyEncipherment only).
    let (enc, _) = pki.issue(&Spec {
        signs: false,
        ..Spec::signer("TEST Encipherment", IIN)
    });
    let e = check(&enc, &[]).unwrap_err();
    assert_eq!(e, CertRefused::KeyUsage);
    assert!(
        e.to_string()
            .contains("digitalSignature nor nonRepudiation")
    );

    // Another IIN than the login's.
    let (other, _) = pki.issue(&Spec::signer("TEST Someone Else", OTHER_IIN));
    let e = check(&other, &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("the certificate is of IIN {OTHER_IIN}, but dana's IIN is {IIN}")
    );
    // No IIN recorded for the login.
    let e = trust
        .check_signer(&good, &[], now, Some(("dana", None)))
        .unwrap_err();
    assert!(matches!(e, CertRefused::LoginHasNoIin { .. }), "{e}");

    // An untrusted root.
    let ek = key();
    let evil_root = cert(&Spec::ca("TEST Evil root"), &ek, None);
    let sk = key();
    let evil = cert(
        &Spec::signer("TEST Dana Seitkali", IIN),
        &sk,
        Some((&evil_root, &ek)),
    );
    let e = check(&evil, std::slice::from_ref(&evil_root)).unwrap_err();
    assert!(matches!(e, CertRefused::Untrusted { .. }), "{e}");
    assert!(
        e.to_string()
            .contains("does not chain to a CA in the trust store")
    );

    // A GOST key.
    let gost = with_gost_oid(&good, &pki.inter.1);
    let e = check(&gost, &[]).unwrap_err();
    assert_eq!(
        e,
        CertRefused::Gost {
            oid: "1.2.643.7.1.1.1.1".into()
        }
    );
    assert!(e.to_string().contains("GOST 34.10"), "{e}");

    // RSA of 2048 bits signs too; of 1024 it may not.
    let rsa = PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
    let rc = cert(
        &Spec::signer("TEST RSA", IIN),
        &rsa,
        Some((&pki.inter.0, &pki.inter.1)),
    );
    assert_eq!(check(&rc, &[]), Ok("rsa-2048"));
    let weak = PKey::from_rsa(openssl::rsa::Rsa::generate(1024).unwrap()).unwrap();
    let wc = cert(
        &Spec::signer("TEST RSA weak", IIN),
        &weak,
        Some((&pki.inter.0, &pki.inter.1)),
    );
    assert!(matches!(check(&wc, &[]), Err(CertRefused::Algorithm(_))));
}

#[test]
fn cms_signed_with_rsa_and_ecdsa_verifies_and_a_changed_byte_does_not() {
    let pki = Pki::new();
    let trust = pki.trust();
    let now = Utc::now();
    let rsa = PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
    for k in [key(), rsa] {
        let c = cert(
            &Spec::signer("TEST Dana", IIN),
            &k,
            Some((&pki.inter.0, &pki.inter.1)),
        );
        let s =
            tizilim::sign::p12::CertSigner::new("dana", k, c.clone(), vec![pki.inter.0.clone()])
                .unwrap();
        use tizilim::sign::Signer;
        let der = s.sign(b"tizilim-notice/1\n{}").unwrap();
        let v =
            tizilim::sign::cms::verify(&der, Some(b"tizilim-notice/1\n{}"), &trust, now).unwrap();
        assert_eq!(v.certificate.to_der().unwrap(), c.to_der().unwrap());
        assert!(
            tizilim::sign::cms::verify(&der, Some(b"tizilim-notice/1\n{ }"), &trust, now).is_err()
        );
        let attached = tizilim::sign::cms::attach(&der, b"tizilim-notice/1\n{}").unwrap();
        let v = tizilim::sign::cms::verify(&attached, None, &trust, now).unwrap();
        assert_eq!(v.content, b"tizilim-notice/1\n{}");
    }
}

/// A register whose admin holds a certificate; its notice exported as CMS.
fn decided(reg: &Register) -> String {
    let f = reg.write_json("a.json", &inclusion("SIGNED", 2));
    ok(&reg.run(&["intake", f.to_str().unwrap()]));
    let o = reg.run(&[
        "case",
        "decide",
        "ABK-2024-000001",
        "include",
        "--on",
        "2024-03-27",
    ]);
    ok(&o);
    "INC-2024-000001".into()
}

fn openssl_cli() -> bool {
    std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn openssl_cms_verifies_the_exported_notice_and_prints_its_content() {
    if !openssl_cli() {
        return common::skipped(
            "openssl_cms_verifies_the_exported_notice_and_prints_its_content",
            "the openssl command is missing (apt-get install openssl)",
        );
    }
    let reg = Register::new();
    let doc = decided(&reg);
    let p7s = reg.dir.path().join("n.p7s");
    ok(&reg.run(&["doc", "export", &doc, "--cms", p7s.to_str().unwrap()]));
    let root = reg.trust().join(tizilim::sign::testca::CA_FILE);
    let o = std::process::Command::new("openssl")
        .args(["cms", "-verify", "-inform", "DER", "-in"])
        .arg(&p7s)
        .arg("-CAfile")
        .arg(&root)
        .args(["-purpose", "any"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Verification successful"),
        "{}",
        stderr(&o)
    );
    let content = stdout(&o);
    assert!(content.starts_with("tizilim-notice/1\n{"), "{content}");
    assert!(
        content.contains("\"number\":\"INC-2024-000001\""),
        "{content}"
    );
    // And tizilim verifies the same file.
    let o = reg.run(&["doc", "verify", p7s.to_str().unwrap()]);
    ok(&o);
    assert!(
        stdout(&o).contains("valid: INC-2024-000001"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains(&format!("IIN {ADMIN_IIN}")),
        "{}",
        stdout(&o)
    );
    // A changed byte of the CMS is refused.
    let mut bytes = std::fs::read(&p7s).unwrap();
    let n = bytes.len();
    bytes[n - 10] ^= 1;
    let bad = reg.write("bad.p7s", &bytes);
    let o = reg.run(&["doc", "verify", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

#[test]
fn removing_the_signers_ca_from_the_trust_store_fails_verification() {
    let reg = Register::new();
    let doc = decided(&reg);
    let out = reg.dir.path().join("n.html");
    ok(&reg.run(&[
        "doc",
        "render",
        &doc,
        "--format",
        "html",
        "--out",
        out.to_str().unwrap(),
    ]));
    ok(&reg.run(&["doc", "verify", out.to_str().unwrap()]));
    // Another CA in its place: the signer's no longer chains.
    let other = tempfile::tempdir().unwrap();
    tizilim::sign::testca::TestCa::generate("TEST another root")
        .unwrap()
        .write(other.path())
        .unwrap();
    let o = reg
        .command()
        .env("TIZILIM_TRUST_DIR", other.path())
        .args(["doc", "verify", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("does not chain to a CA in the trust store"),
        "{}",
        stderr(&o)
    );
    // No trust store at all: said so.
    let o = reg
        .command()
        .env("TIZILIM_TRUST_DIR", reg.dir.path().join("none"))
        .args(["doc", "verify", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("trust store"), "{}", stderr(&o));
}

#[test]
fn a_revoked_certificate_signs_nothing_new_and_what_it_signed_still_verifies() {
    let reg = Register::new();
    let doc = decided(&reg);
    let out = reg.dir.path().join("n.txt");
    ok(&reg.run(&["doc", "render", &doc, "--out", out.to_str().unwrap()]));
    std::thread::sleep(std::time::Duration::from_millis(2100));
    // The test CA revokes the admin's certificate now, on its CRL.
    let ca = tizilim::sign::testca::TestCa::load(&reg.trust()).unwrap();
    let p12 = tizilim::sign::p12::read(&reg.p12(), "correct horse battery").unwrap();
    let crl = ca
        .crl_revoking(&[(&p12.cert, Utc::now().timestamp())])
        .unwrap();
    std::fs::write(
        reg.trust().join(tizilim::sign::testca::CRL_FILE),
        crl.to_pem().unwrap(),
    )
    .unwrap();
    let o = reg.run(&["doc", "verify", out.to_str().unwrap()]);
    ok(&o);
    let mut v = inclusion("AFTER", 1);
    v["received_at"] = serde_json::json!("2024-03-21T10:00:00+05:00");
    let f = reg.write_json("b.json", &v);
    ok(&reg.run(&["intake", f.to_str().unwrap()]));
    let o = reg.run(&[
        "case",
        "decide",
        "ABK-2024-000002",
        "include",
        "--on",
        "2024-03-27",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("revoked on a CRL"), "{}", stderr(&o));
    assert_eq!(reg.count("decisions"), 1, "nothing stored");
}

#[test]
fn key_import_refuses_another_iin_an_open_file_and_an_untrusted_certificate() {
    let reg = Register::new();
    let run = |args: &[&str]| reg.run(args);
    // A certificate of another IIN.
    let other = reg.dir.path().join("other.p12");
    ok(&run(&[
        "key",
        "test-certificate",
        "--iin",
        OTHER_IIN,
        "--name",
        "Someone Else",
        "--out",
        other.to_str().unwrap(),
    ]));
    let o = run(&["key", "import", other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("the certificate is of IIN {OTHER_IIN}")),
        "{}",
        stderr(&o)
    );
    // A .p12 others may read.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(reg.p12(), std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = run(&["key", "import", reg.p12().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is open to others (mode 0640)"),
        "{}",
        stderr(&o)
    );
    std::fs::set_permissions(reg.p12(), std::fs::Permissions::from_mode(0o600)).unwrap();
    // A certificate of a CA the trust store does not hold.
    let other_ca = tempfile::tempdir().unwrap();
    tizilim::sign::testca::TestCa::generate("TEST foreign root")
        .unwrap()
        .write(other_ca.path())
        .unwrap();
    let foreign = reg.dir.path().join("foreign.p12");
    let o = reg
        .command()
        .env("TIZILIM_TRUST_DIR", other_ca.path())
        .args([
            "key",
            "test-certificate",
            "--iin",
            ADMIN_IIN,
            "--name",
            "Dana",
            "--out",
            foreign.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    ok(&o);
    let o = run(&["key", "import", foreign.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("does not chain to a CA in the trust store"),
        "{}",
        stderr(&o)
    );
    // A wrong passphrase.
    let o = reg
        .command()
        .env(
            "TIZILIM_PASSPHRASE_FILE",
            reg.write("wrong", b"wrong horse\n"),
        )
        .args(["key", "import", reg.p12().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("wrong passphrase"), "{}", stderr(&o));
}

/// A seal signed outside `audit seal`: the CMS of `signer` (a certificate
/// and key) over the journal's head, named as `login`'s.
fn forged_seal(reg: &Register, login: &str, c: &X509, k: &PKey<Private>) -> PathBuf {
    let conn = reg.sql();
    let (seq, hash): (i64, String) = conn
        .query_row(
            "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let msg = tizilim::store::services::seal_message(seq, &hash);
    let chain = openssl::stack::Stack::new().unwrap();
    let der = tizilim::sign::cms::sign(c, k, &chain, &msg).unwrap();
    let der = tizilim::sign::cms::attach(&der, &msg).unwrap();
    use base64::Engine;
    let seal = serde_json::json!({
        "format": "tizilim-seal/2",
        "head_seq": seq,
        "head_hash": hash,
        "signer": login,
        "cms": base64::engine::general_purpose::STANDARD.encode(der),
    });
    reg.write(&format!("seal-{login}.json"), seal.to_string().as_bytes())
}

#[test]
fn a_clerks_seal_and_a_seal_that_does_not_chain_are_refused_an_admins_verifies() {
    let reg = Register::new();
    decided(&reg);
    // The admin's own seal verifies.
    let seal = reg.dir.path().join("seal.json");
    ok(&reg.run(&["audit", "seal", "--out", seal.to_str().unwrap()]));
    let o = reg.run(&["audit", "verify", "--seal", seal.to_str().unwrap()]);
    ok(&o);
    assert!(stdout(&o).contains("(admin; certificate"), "{}", stdout(&o));
    // A clerk with a trusted certificate of the clerk's own IIN signs the
    // head: the clerk was no admin there.
    ok(&reg.run(&["user", "add", "dana", "--role", "clerk", "--iin", OTHER_IIN]));
    let ca = tizilim::sign::testca::TestCa::load(&reg.trust()).unwrap();
    let k = key();
    let c = ca.issue("TEST Dana the clerk", OTHER_IIN, &k).unwrap();
    let f = forged_seal(&reg, "dana", &c, &k);
    let o = reg.run(&["audit", "verify", "--seal", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("dana was not an admin at journal row"),
        "{}",
        stderr(&o)
    );
    // The clerk's certificate named as the admin's: another IIN.
    let me = common::os_login();
    let f = forged_seal(&reg, &me, &c, &k);
    let o = reg.run(&["audit", "verify", "--seal", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(&format!("is of IIN {OTHER_IIN}, but {me}'s IIN")),
        "{}",
        stderr(&o)
    );
    // The register's owner makes a CA of its own and a certificate of the
    // admin's IIN: it does not chain to the trust store.
    let own = tizilim::sign::testca::TestCa::generate("TEST owner's root").unwrap();
    let k2 = key();
    let c2 = own.issue("TEST forged admin", ADMIN_IIN, &k2).unwrap();
    let f = forged_seal(&reg, &me, &c2, &k2);
    let o = reg.run(&["audit", "verify", "--seal", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("does not chain to a CA in the trust store"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn user_named_files_over_16_mib_fifos_and_devices_are_refused_before_reading() {
    let reg = Register::new();
    // Each is refused at once, before reading: a FIFO would hang here and
    // /dev/zero would grow without end.
    let o = reg.run(&["doc", "verify", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    let fifo = reg.dir.path().join("fifo");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    let o = reg.run(&["doc", "verify", fifo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    let o = reg.run(&["audit", "verify", "--seal", fifo.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    let big = reg.dir.path().join("big.html");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len((16 << 20) + 1).unwrap();
    let o = reg.run(&["doc", "verify", big.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("over the 16 MiB"), "{}", stderr(&o));
}

/// The TEST TSA (`scripts/tsa-responder.py`, `openssl ts -reply` behind a
/// python3 HTTP server on loopback), ended when dropped.
struct Tsa(std::process::Child);

impl Drop for Tsa {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn with_a_timestamp_authority_the_signature_carries_an_rfc3161_token() {
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !openssl_cli() || !python {
        return common::skipped(
            "with_a_timestamp_authority_the_signature_carries_an_rfc3161_token",
            "the openssl command or python3 is missing (apt-get install openssl python3)",
        );
    }
    let reg = Register::new();
    let portfile = reg.dir.path().join("tsa.port");
    let _tsa = Tsa(std::process::Command::new("python3")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/tsa-responder.py"))
        .arg(&portfile)
        .spawn()
        .unwrap());
    // The responder writes its port once it listens (key generation first).
    let mut port = None;
    for _ in 0..300 {
        if let Ok(p) = std::fs::read_to_string(&portfile) {
            port = Some(p);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let port = port.expect("the TSA responder started");
    let url = format!("http://127.0.0.1:{port}/");
    let f = reg.write_json("a.json", &inclusion("STAMPED", 1));
    ok(&reg.run(&["intake", f.to_str().unwrap()]));
    let o = reg
        .command()
        .env("TIZILIM_TSA_URL", &url)
        .args([
            "case",
            "decide",
            "ABK-2024-000001",
            "include",
            "--on",
            "2024-03-27",
        ])
        .output()
        .unwrap();
    ok(&o);
    let out = reg.dir.path().join("n.txt");
    ok(&reg.run(&[
        "doc",
        "render",
        "INC-2024-000001",
        "--out",
        out.to_str().unwrap(),
    ]));
    let o = reg.run(&["doc", "verify", out.to_str().unwrap()]);
    ok(&o);
    assert!(stdout(&o).contains("; timestamped 20"), "{}", stdout(&o));
    // The token is in the exported CMS, and openssl still verifies it.
    let p7s = reg.dir.path().join("n.p7s");
    ok(&reg.run(&[
        "doc",
        "export",
        "INC-2024-000001",
        "--cms",
        p7s.to_str().unwrap(),
    ]));
    let der = std::fs::read(&p7s).unwrap();
    assert_eq!(tizilim::sign::cms::timestamp_tokens(&der).unwrap().len(), 1);
    let o = std::process::Command::new("openssl")
        .args(["cms", "-verify", "-inform", "DER", "-in"])
        .arg(&p7s)
        .arg("-CAfile")
        .arg(reg.trust().join(tizilim::sign::testca::CA_FILE))
        .args(["-purpose", "any", "-out", "/dev/null"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // A TSA that does not answer: nothing is decided.
    let f = reg.write_json("b.json", &{
        let mut v = inclusion("UNSTAMPED", 1);
        v["received_at"] = serde_json::json!("2024-03-21T10:00:00+05:00");
        v
    });
    ok(&reg.run(&["intake", f.to_str().unwrap()]));
    let o = reg
        .command()
        .env("TIZILIM_TSA_URL", "http://127.0.0.1:9/")
        .args([
            "case",
            "decide",
            "ABK-2024-000002",
            "include",
            "--on",
            "2024-03-27",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("timestamp authority http://127.0.0.1:9/"),
        "{}",
        stderr(&o)
    );
    assert_eq!(reg.count("decisions"), 1);
}

/// A register of before certificates holds Ed25519 notices: they keep
/// verifying, read-only, said to be of the earlier format; a new decision
/// with such a key is refused.
#[test]
fn notices_of_the_earlier_format_verify_read_only_and_the_key_signs_nothing_new() {
    use tizilim::docs::{NoticeContent, SignerRef, render};
    use tizilim::sign::{Ed25519Signer, Signer};
    use tizilim::store::events::Event;
    let (_dir, mut store) = common::fixture::register();
    let old = Ed25519Signer::from_seed("aigerim", [7; 32]);
    let fp = old.fingerprint();
    // What an earlier build journaled: its key, then a notice it signed.
    // (Each notice's text is stored once: in its journal row, not the table.)
    assert!(
        store
            .conn()
            .prepare("SELECT content, signature FROM notices")
            .is_err(),
        "the notices table keeps no copy of the content"
    );
    let notice = tizilim::docs::get(store.conn(), "INC-2025-000001").unwrap();
    let mut content = tizilim::docs::parsed(&notice).unwrap();
    content.number = "INC-2025-000099".into();
    content.signer = SignerRef {
        algorithm: tizilim::sign::ED25519.into(),
        fingerprint: fp.clone(),
        ..content.signer
    };
    let canonical = content.canonical();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let signature = b64.encode(old.sign(&NoticeContent::message(&canonical)).unwrap());
    let at = common::fixture::now();
    store
        .write(|tx| {
            tizilim::store::journal::append(
                tx,
                at,
                "aigerim",
                &Event::KeyRegistered {
                    login: "aigerim".into(),
                    algorithm: tizilim::sign::ED25519.into(),
                    public_key: b64.encode(old.public_key()),
                    fingerprint: fp.clone(),
                    name: "Айгерим Сапарова".into(),
                    position: "authorized".into(),
                    valid_from: content.issued_on,
                    p12: None,
                },
            )?;
            tizilim::store::journal::append(
                tx,
                at,
                "aigerim",
                &Event::NoticeIssued {
                    number: content.number.clone(),
                    case: content.application.case.clone(),
                    notice: content.kind.clone(),
                    issued_on: content.issued_on,
                    content: canonical.clone(),
                    signer: "aigerim".into(),
                    fingerprint: fp.clone(),
                    signature: signature.clone(),
                },
            )
        })
        .unwrap();
    let seal = render::Seal {
        signature_b64: &signature,
        canonical: &canonical,
    };
    let text = render::text(&content, &seal, "ru");
    let trust = || {
        Err::<TrustStore, _>(tizilim::sign::x509::TrustError::Empty(
            "unused: an Ed25519 notice needs no trust store".into(),
        ))
    };
    let v = tizilim::docs::verify::verify(store.conn(), &text, &trust).unwrap();
    assert!(v.earlier_format);
    assert_eq!(v.content.number, "INC-2025-000099");
    // A changed letter still fails.
    let bad = text.replacen("Saryarka", "Saryarkа", 1);
    assert!(tizilim::docs::verify::verify(store.conn(), &bad, &trust).is_err());
    // The old key signs nothing new.
    let e = store
        .write(|tx| tizilim::store::services::check_signer(tx, "aigerim", &old, content.issued_on))
        .unwrap_err();
    assert!(
        e.to_string().contains("new decisions need a certificate"),
        "{e}"
    );
}
