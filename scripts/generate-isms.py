#!/usr/bin/env python3
"""Writes a synthetic, deterministic ISMS for benchmarks and load tests.

    python3 scripts/generate-isms.py OUT_DIR [--records N] [--seed S] [--defects | --no-defects]

The default is 10,000 records in the mix of a mid-sized organisation (per 10,000: 1,500 risks,
2,500 controls, 600 obligations, 4,000 evidence, 300 exceptions, 400 suppliers, 700 assets), with
a roster of people in isms.yaml, references that land on records of the right kind, multi-line
descriptions, review cycles and dated evidence, so that `isms check` does real work: links, kinds,
dates, cadences, evidence freshness. Some evidence points at artifact files under artifacts/
with their SHA-256.

With --defects (the default) a handful of deliberate mistakes are added (a broken link, a link of
the wrong kind, a misspelt field, an out-of-range score, a bad date, a duplicate id), so that the
check also produces findings. The same arguments always give byte-identical output.

OUT_DIR must not exist or be empty.
"""
import argparse
import hashlib
import os
import random
import sys

MIX = [  # kind, folder, share per 10,000
    ("risk", "risks", 1500),
    ("control", "controls", 2500),
    ("obligation", "obligations", 600),
    ("evidence", "evidence", 4000),
    ("exception", "exceptions", 300),
    ("supplier", "suppliers", 400),
    ("asset", "assets", 700),
]

WORDS = """access account accountability admin agreement alert analysis application approval archive
asset audit authentication authorisation availability backup baseline breach budget business capacity
certificate change classification client cloud compliance confidentiality configuration continuity
contract control credential customer data database decommission dependency deployment detection device
disaster disclosure disposal document domain downtime employee encryption endpoint environment escalation
event evidence exposure failover firewall framework governance hardening identity incident information
infrastructure integrity interface inventory key laptop legal licence log malware management media
migration mobile monitoring network notification offboarding onboarding operation outsourcing owner
password patch payment perimeter personal phishing physical policy privacy privileged procedure process
production protection provider ransomware record recovery regulator release remote report resilience
retention review risk role schedule secret segregation server service session software staff storage
supplier system testing third-party threat token training transfer upgrade user vendor vulnerability
website workstation""".split()

THREATS = ["Laptop theft", "Ransomware outbreak", "Phishing of finance staff", "Cloud misconfiguration",
           "Insider data exfiltration", "Supplier outage", "Unpatched server", "Lost backup media",
           "Credential stuffing", "DDoS on public site", "Privilege misuse", "Data centre flooding",
           "Payment fraud", "Source code leak", "Expired certificate", "Shadow IT", "Weak passwords",
           "Unencrypted e-mail", "Misdirected personal data", "Key person dependency"]
CONTROL_NAMES = ["Disk encryption", "Quarterly access review", "Backup restore test", "Patch management",
                 "MFA for remote access", "Security awareness training", "Firewall rule review",
                 "Log monitoring", "Vulnerability scanning", "Supplier due diligence", "Incident response drill",
                 "Change approval", "Secure disposal", "Asset inventory", "Privileged access management",
                 "Data classification", "Clean desk", "Key rotation", "Penetration test", "Business continuity test"]
SOURCES = [("GDPR", "Art. {a}({b})"), ("NIS2", "Art. {a}({b})"), ("DORA", "Art. {a}({b})"),
           ("ISO27001", "Clause {a}.{b}"), ("contract", "Schedule {a}, §{b}"), ("internal", "Policy {a}.{b}")]
FIRST = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
         "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yvonne"]
LAST = ["smith", "jones", "martin", "garcia", "müller", "rossi", "dubois", "novak", "kowalski", "jensen"]
ROLES = ["CISO", "DPO", "IT manager", "Head of operations", "Engineer", "Analyst", "Auditor", "HR lead",
         "Finance lead", "Legal counsel"]
CADENCES = ["daily", "weekly", "monthly", "quarterly", "yearly", "continuous", "on-event", "90d", "180d"]
CADENCE_DAYS = {"daily": 1, "weekly": 7, "monthly": 31, "quarterly": 92, "yearly": 366,
                "continuous": 1, "on-event": None, "90d": 90, "180d": 180}
ANNEX_A = [f"A.5.{i}" for i in range(1, 38)] + [f"A.6.{i}" for i in range(1, 9)] + \
          [f"A.7.{i}" for i in range(1, 15)] + [f"A.8.{i}" for i in range(1, 35)]

AS_OF = (2026, 12, 1)  # the date the benchmark judges at (--as-of 2026-12-01)


def day_ordinal(y, m, d):
    import datetime
    return datetime.date(y, m, d).toordinal()


def day_text(ordinal):
    import datetime
    return datetime.date.fromordinal(ordinal).isoformat()


AS_OF_ORD = day_ordinal(*AS_OF)


def split_counts(total):
    base = sum(share for _, _, share in MIX)
    counts = [total * share // base for _, _, share in MIX]
    counts[3] += total - sum(counts)  # the rest to evidence, the largest kind
    return {kind: n for (kind, _, _), n in zip(MIX, counts)}


class Writer:
    def __init__(self, root):
        self.root = root
        self.files = 0

    def write(self, relative, text):
        path = os.path.join(self.root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        self.files += 1

    def write_bytes(self, relative, data):
        path = os.path.join(self.root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def quote(text):
    """A YAML double-quoted scalar when the plain form could be misread."""
    if any(c in text for c in ":#{}[],&*!|>'\"%@`") or text != text.strip() or text.lower() in (
            "yes", "no", "on", "off", "true", "false", "null", "~", ""):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def flow_list(items):
    return "[" + ", ".join(items) + "]"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=27001)
    parser.add_argument("--defects", dest="defects", action="store_true", default=True)
    parser.add_argument("--no-defects", dest="defects", action="store_false")
    args = parser.parse_args()
    if args.records < 20:
        sys.exit("--records must be at least 20")
    if os.path.exists(args.out) and os.listdir(args.out):
        sys.exit(f"{args.out} exists and is not empty")
    os.makedirs(args.out, exist_ok=True)

    rng = random.Random(args.seed)
    out = Writer(args.out)
    defects = 6 if args.defects else 0  # the defective records count within N
    n = {k: max(1, v) for k, v in split_counts(args.records - defects).items()}

    def sentence(lo=8, hi=18):
        words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
        return (" ".join(words)).capitalize() + "."

    def paragraph(lines_lo=2, lines_hi=6):
        # A block scalar of a few lines, each line a sentence or two (about 60-140 characters).
        lines = []
        for _ in range(rng.randint(lines_lo, lines_hi)):
            lines.append(sentence(6, 12) + (" " + sentence(4, 8) if rng.random() < 0.4 else ""))
        return lines

    def block(key, lines, indent=""):
        style = "|" if rng.random() < 0.5 else ">"
        return f"{indent}{key}: {style}\n" + "".join(f"{indent}  {line}\n" for line in lines)

    def date_between(lo_days_ago, hi_days_ago):
        return day_text(AS_OF_ORD - rng.randint(lo_days_ago, hi_days_ago))

    # ---- roster ---------------------------------------------------------------------------------
    people = []
    for first in FIRST:
        for last in LAST[:3]:
            people.append((f"{first}.{last}".replace("ü", "u"), f"{first.capitalize()} {last.capitalize()}"))
    people = people[:48]
    person_keys = [key for key, _ in people]

    def person():
        return rng.choice(person_keys)

    ids = {
        "risk": [f"RISK-{i}" for i in range(1, n["risk"] + 1)],
        "control": [f"CTRL-{i}" for i in range(1, n["control"] + 1)],
        "obligation": [],
        "evidence": [],
        "exception": [f"EXC-{i}" for i in range(1, n["exception"] + 1)],
        "supplier": [f"SUP-{i}" for i in range(1, n["supplier"] + 1)],
        "asset": [f"ASSET-{i}" for i in range(1, n["asset"] + 1)],
    }
    obligation_refs = []
    for i in range(n["obligation"]):
        source, ref = SOURCES[i % len(SOURCES)]
        a, b = 1 + (i // len(SOURCES)) % 99, 1 + i % 7
        ids["obligation"].append(f"OBL-{source.upper()}-{a}.{b}-{i + 1}")
        obligation_refs.append((source, ref.format(a=a, b=b)))
    # Evidence ids carry the year and month they were collected in; dates are drawn first.
    evidence_controls = [rng.choice(ids["control"]) for _ in range(n["evidence"])]
    evidence_dates = [AS_OF_ORD - int(rng.triangular(0, 500, 20)) for _ in range(n["evidence"])]
    for i, ordinal in enumerate(evidence_dates):
        ids["evidence"].append(f"EV-{day_text(ordinal)[:7]}-{i + 1:05d}")

    config = [
        "# Settings of the ISMS: written by scripts/generate-isms.py.",
        "name: Example Holding ISMS",
        "scope: >",
        "  Information security of the group's products, cloud platform, offices and the",
        "  support functions that serve them, in all countries where the group operates.",
        "evidence_grace_days: 14",
        "people:",
    ]
    for index, (key, name) in enumerate(people):
        config += [f"  {key}:", f"    name: {name}", f"    email: {key}@example.org",
                   f"    role: {ROLES[index % len(ROLES)]}"]
    out.write("isms.yaml", "\n".join(config) + "\n")

    def header(record_id, title, owner=True):
        lines = f"id: {record_id}\ntitle: {quote(title)}\n"
        if owner:
            lines += f"owner: {person()}\n"
        return lines

    def tags():
        return "tags: " + flow_list(sorted(set(rng.choice(WORDS) for _ in range(rng.randint(1, 4))))) + "\n"

    def review(every_choices=("quarterly", "yearly", "180d")):
        every = rng.choice(every_choices)
        period = CADENCE_DAYS[every]
        # Most reviews are on time; about one in ten is overdue.
        last = AS_OF_ORD - (rng.randint(0, period - 1) if rng.random() < 0.9 else rng.randint(period + 1, period * 2))
        return f"review:\n  last: {day_text(last)}\n  every: {every}\n"

    # ---- controls -------------------------------------------------------------------------------
    control_every = {}
    for i, cid in enumerate(ids["control"]):
        every = rng.choice(CADENCES)
        control_every[cid] = every
        text = header(cid, f"{rng.choice(CONTROL_NAMES)} ({rng.choice(WORDS)} {i + 1})")
        text += block("description", paragraph())
        text += tags()
        text += f"operation: {rng.choice(['manual', 'automated', 'review'])}\n"
        text += f"status: {rng.choices(['planned', 'implemented', 'operating', 'retired'], [1, 3, 10, 1])[0]}\n"
        text += f"every: {every}\n"
        satisfies = sorted(set(rng.choice(ids['obligation']) for _ in range(rng.randint(1, 3))))
        text += "satisfies:\n" + "".join(f"  - {o}\n" for o in satisfies)
        text += "annex_a: " + flow_list(sorted(set(rng.choice(ANNEX_A) for _ in range(rng.randint(1, 3))))) + "\n"
        text += ("evidence_expected:\n"
                 f"  record: {quote(sentence(3, 6))}\n"
                 f"  location: https://grc.example.org/{rng.choice(WORDS)}/{i + 1}\n"
                 f"  retention: {rng.choice(['1 year', '3 years', '7 years'])}\n")
        out.write(f"controls/ctrl-{i + 1:04d}.yaml", text)

    # ---- obligations ----------------------------------------------------------------------------
    for i, oid in enumerate(ids["obligation"]):
        source, ref = obligation_refs[i]
        text = header(oid, f"{source} {ref}: {rng.choice(WORDS)} {rng.choice(WORDS)}")
        text += block("description", paragraph(2, 4))
        text += f"source: {source}\nref: {quote(ref)}\n"
        if rng.random() < 0.08:
            text += "applies: false\n" + block("justification", paragraph(1, 2))
        else:
            text += "applies: true\n"
        out.write(f"obligations/{oid.lower()}.yaml", text)

    # ---- assets ---------------------------------------------------------------------------------
    for i, aid in enumerate(ids["asset"]):
        text = header(aid, f"{rng.choice(WORDS).capitalize()} {rng.choice(['server', 'laptop fleet', 'database', 'SaaS tenant', 'office', 'repository', 'network'])} {i + 1}")
        text += block("description", paragraph(1, 3))
        text += tags()
        if rng.random() < 0.05:
            text += "in_scope: false\n" + f"exclusion_reason: {quote(sentence(6, 12))}\n"
        else:
            text += "in_scope: true\n"
        if rng.random() < 0.6:
            text += "suppliers: " + flow_list(sorted(set(rng.choice(ids['supplier']) for _ in range(rng.randint(1, 2))))) + "\n"
        out.write(f"assets/asset-{i + 1:04d}.yaml", text)

    # ---- suppliers ------------------------------------------------------------------------------
    for i, sid in enumerate(ids["supplier"]):
        text = header(sid, f"{rng.choice(['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell'])} {rng.choice(['Cloud', 'Payroll', 'Hosting', 'Consulting', 'Logistics', 'Security'])} {i + 1}")
        text += block("description", paragraph(2, 4))
        text += f"criticality: {rng.choice(['high', 'medium', 'low'])}\n"
        text += "services:\n" + "".join(f"  - {quote(sentence(2, 5))}\n" for _ in range(rng.randint(1, 3)))
        text += "assurance: " + flow_list(sorted(set(rng.choice(ids['evidence']) for _ in range(rng.randint(1, 3))))) + "\n"
        text += review(("yearly", "180d"))
        out.write(f"suppliers/sup-{i + 1:04d}.yaml", text)

    # ---- risks ----------------------------------------------------------------------------------
    for i, rid in enumerate(ids["risk"]):
        treatment = rng.choices(["reduce", "accept", "transfer", "avoid"], [14, 3, 2, 1])[0]
        text = header(rid, f"{rng.choice(THREATS)} affecting {rng.choice(WORDS)} {i + 1}")
        text += block("description", paragraph(3, 7))
        text += tags()
        text += f"likelihood: {rng.randint(1, 5)}\nimpact: {rng.randint(1, 5)}\ntreatment: {treatment}\n"
        if treatment in ("reduce", "transfer") or rng.random() < 0.3:
            controls = sorted(set(rng.choice(ids['control']) for _ in range(rng.randint(1, 5))), key=lambda c: int(c[5:]))
            text += "controls:\n" + "".join(f"  - {c}\n" for c in controls)
        if treatment == "accept":
            approved = AS_OF_ORD - rng.randint(10, 400)
            text += ("acceptance:\n"
                     f"  approved_by: {person()}\n"
                     f"  approved_on: {day_text(approved)}\n"
                     f"  expires: {day_text(approved + rng.choice([180, 365, 730]))}\n"
                     + block("rationale", paragraph(1, 3), indent="  "))
        if treatment == "transfer":
            to = rng.choice(ids["supplier"]) if rng.random() < 0.7 else "Lloyd's cyber insurance policy 44-1182"
            text += f"transfer:\n  to: {quote(to)}\n  rationale: {quote(sentence(6, 12))}\n"
        text += f"residual:\n  likelihood: {rng.randint(1, 3)}\n  impact: {rng.randint(1, 4)}\n"
        text += "assets: " + flow_list(sorted(set(rng.choice(ids['asset']) for _ in range(rng.randint(1, 4))))) + "\n"
        text += review()
        out.write(f"risks/risk-{i + 1:04d}.yaml", text)

    # ---- evidence -------------------------------------------------------------------------------
    artifacts = 0
    for i, eid in enumerate(ids["evidence"]):
        control = evidence_controls[i]
        collected = day_text(evidence_dates[i])
        text = header(eid, f"{rng.choice(['Export', 'Screenshot', 'Report', 'Ticket', 'Minutes', 'Log extract'])} for {control} ({collected})", owner=False)
        if rng.random() < 0.5:
            text += block("description", paragraph(1, 3))
        text += f"control: {control}\ncollected_on: {collected}\ncollected_by: {person()}\n"
        text += f"kind: {rng.choice(['system', 'process', 'verification'])}\n"
        text += f"result: {rng.choices(['pass', 'fail', 'exception'], [20, 2, 1])[0]}\n"
        if rng.random() < 0.05:
            # A file kept beside the records, with its checksum.
            artifacts += 1
            body = ("\n".join(sentence() for _ in range(rng.randint(3, 20))) + "\n").encode()
            relative = f"artifacts/{collected[:4]}/{eid.lower()}.txt"
            out.write_bytes(relative, body)
            text += f"location: {relative}\nsha256: {hashlib.sha256(body).hexdigest()}\n"
        else:
            text += f"location: https://evidence.example.org/{collected[:7]}/{eid.lower()}\n"
        out.write(f"evidence/{collected[:4]}/{collected[5:7]}/{eid.lower()}.yaml", text)

    # ---- exceptions -----------------------------------------------------------------------------
    for i, xid in enumerate(ids["exception"]):
        text = header(xid, f"Exception to {rng.choice(CONTROL_NAMES).lower()} for {rng.choice(WORDS)}")
        if rng.random() < 0.7:
            text += f"control: {rng.choice(ids['control'])}\n"
        else:
            text += f"risk: {rng.choice(ids['risk'])}\n"
        text += block("reason", paragraph(2, 4))
        text += f"approved_by: {person()}\n"
        text += f"expires: {day_text(AS_OF_ORD + rng.randint(-60, 365))}\n"
        if rng.random() < 0.6:
            text += "compensating: " + flow_list(sorted(set(rng.choice(ids['control']) for _ in range(rng.randint(1, 2))))) + "\n"
        out.write(f"exceptions/exc-{i + 1:04d}.yaml", text)

    # ---- deliberate defects ---------------------------------------------------------------------
    if args.defects:
        out.write("risks/zz-defect-broken-link.yaml",
                  f"id: RISK-{n['risk'] + 1}\ntitle: Broken link\nowner: {person_keys[0]}\ntreatment: reduce\n"
                  f"controls: [CTRL-{n['control'] + 100}]\n")
        out.write("risks/zz-defect-wrong-kind.yaml",
                  f"id: RISK-{n['risk'] + 2}\ntitle: Wrong link kind\nowner: {person_keys[1]}\ntreatment: reduce\n"
                  f"controls: [{ids['asset'][0]}]\n")
        out.write("controls/zz-defect-typo.yaml",
                  f"id: CTRL-{n['control'] + 1}\ntitle: Misspelt field\nowner: {person_keys[2]}\nstauts: operating\n")
        out.write("risks/zz-defect-range.yaml",
                  f"id: RISK-{n['risk'] + 3}\ntitle: Out of range\nowner: {person_keys[3]}\nlikelihood: 7\n")
        out.write("evidence/zz-defect-date.yaml",
                  f"id: EV-DEFECT-1\ntitle: Bad date\ncontrol: {ids['control'][0]}\ncollected_on: 2026-02-30\n")
        out.write("assets/zz-defect-duplicate.yaml",
                  f"id: {ids['asset'][0]}\ntitle: Duplicate id\nowner: {person_keys[4]}\n")

    print(f"wrote {out.files} YAML files ({sum(n.values()) + defects} records, {defects} of them defective,"
          f" {artifacts} artifacts) to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
