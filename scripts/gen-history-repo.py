#!/usr/bin/env python3
"""Writes a `git fast-import` stream for a large ISMS history, for benchmarking `isms history/log/blame`.

    python3 scripts/gen-history-repo.py [--records 2000] [--commits 20000] [--seed 1] | git fast-import --quiet

The repository has the ISMS in `isms/` beside unrelated code in `src/` and `docs/`: several authors in
several time zones, records created over time, field edits, renames and moves (some with edits in the
same commit), id changes, deletions and restorations, topic branches merged with --no-ff (a few of them
resolving a conflict in the merge), and commits that touch only files outside the ISMS root.
Deterministic for a given seed.
"""
import argparse
import random
import sys

AUTHORS = [
    ("Alice Example", "alice@example.com", "+0100"),
    ("Bob Example", "bob@example.com", "+0000"),
    ("Carol Example", "carol@example.com", "-0500"),
    ("Dan Example", "dan@example.com", "+0530"),
    ("Erin Example", "erin@example.com", "+0200"),
    ("Frank Example", "frank@example.com", "-0800"),
]
OWNERS = ["alice", "bob", "carol", "dan", "erin", "frank"]
WORDS = ("access backup laptop vendor cloud email phishing payroll firewall audit incident patch key "
         "encryption logging network badge printer contract privacy retention mobile office server").split()
CADENCES = ["monthly", "quarterly", "yearly", "weekly", "90d"]
# Share of records per kind (folder, id prefix).
KINDS = [("risks", "RISK", 0.30), ("controls", "CTRL", 0.25), ("assets", "ASSET", 0.15),
         ("suppliers", "SUP", 0.10), ("obligations", "OBL", 0.08), ("evidence", "EV", 0.12)]


def day(ordinal):
    """YYYY-MM-DD for days since 2020-01-01 (a plain calendar without leap seconds)."""
    import datetime
    return (datetime.date(2020, 1, 1) + datetime.timedelta(days=ordinal)).isoformat()


class Generator:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.args = args
        self.out = sys.stdout.buffer
        self.mark = 0
        self.time = 1_577_869_200  # 2020-01-01T09:00:00Z
        self.records = {}          # id -> dict of fields (the main line's view)
        self.paths = {}            # id -> path under isms/
        self.kind_of = {}          # id -> folder
        self.counters = {folder: 0 for folder, _, _ in KINDS}
        self.deleted = {}          # id -> (path, fields) of deleted records, for restoring
        self.commits = 0
        self.churn_files = [f"src/module{m}/file{f}.txt" for m in range(20) for f in range(10)]
        self.churn_state = {}

    # --- stream primitives -------------------------------------------------------------------------
    def write(self, text):
        self.out.write(text.encode() if isinstance(text, str) else text)

    def data(self, payload):
        payload = payload.encode()
        self.write(f"data {len(payload)}\n")
        self.write(payload)
        self.write("\n")

    def commit(self, ref, message, changes, parents, author=None):
        """changes: list of ("M", path, content) or ("D", path). Returns the new commit's mark."""
        self.mark += 1
        self.commits += 1
        self.time += self.rng.randint(600, 4 * 3600)
        name, email, tz = author or self.rng.choice(AUTHORS)
        self.write(f"commit {ref}\nmark :{self.mark}\n")
        self.write(f"author {name} <{email}> {self.time} {tz}\n")
        self.write(f"committer {name} <{email}> {self.time} {tz}\n")
        self.data(message)
        if parents:
            self.write(f"from :{parents[0]}\n")
            for p in parents[1:]:
                self.write(f"merge :{p}\n")
        for change in changes:
            if change[0] == "M":
                self.write(f"M 100644 inline {change[1]}\n")
                self.data(change[2])
            else:
                self.write(f"D {change[1]}\n")
        self.write("\n")
        return self.mark

    # --- records -------------------------------------------------------------------------------------
    def words(self, n):
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def new_record(self, folder, prefix):
        self.counters[folder] += 1
        n = self.counters[folder]
        rid = f"{prefix}-{n:04d}"
        r = self.rng
        f = {"id": rid, "title": f"{self.words(3).capitalize()} {n}", "owner": r.choice(OWNERS),
             "description": f"{self.words(12).capitalize()}."}
        if folder == "risks":
            f.update(likelihood=r.randint(1, 5), impact=r.randint(1, 5), treatment="reduce",
                     controls=[f"CTRL-{r.randint(1, 500):04d}" for _ in range(r.randint(1, 3))],
                     **{"review.last": day(r.randint(0, 400)), "review.every": r.choice(CADENCES)})
        elif folder == "controls":
            f.update(operation=r.choice(["manual", "automated", "review"]), status=r.choice(["planned", "implemented", "operating"]),
                     every=r.choice(CADENCES), annex_a=[f"A.{r.randint(5, 8)}.{r.randint(1, 30)}"])
        elif folder == "assets":
            f.update(in_scope=True, suppliers=[f"SUP-{r.randint(1, 200):04d}"])
        elif folder == "suppliers":
            f.update(criticality=r.choice(["high", "medium", "low"]), services=[self.words(2)],
                     **{"review.last": day(r.randint(0, 400)), "review.every": "yearly"})
        elif folder == "obligations":
            f.update(source=r.choice(["GDPR", "NIS2", "ISO27001", "contract"]), ref=f"Art. {r.randint(1, 99)}", applies=True)
        else:
            del f["owner"]
            f.update(control=f"CTRL-{r.randint(1, 500):04d}", collected_on=day(r.randint(0, 800)),
                     collected_by=r.choice(OWNERS), result=r.choice(["pass", "pass", "fail"]))
        path = f"isms/{folder}/{rid.lower()}.yaml"
        return rid, path, f

    def render(self, f):
        lines, objects = [], {}
        for key, value in f.items():
            if "." in key:
                parent, child = key.split(".", 1)
                objects.setdefault(parent, []).append((child, value))
                continue
            lines.append(f"{key}: {self.scalar(value)}")
        for parent, children in objects.items():
            lines.append(f"{parent}:")
            lines += [f"  {child}: {self.scalar(value)}" for child, value in children]
        return "\n".join(lines) + "\n"

    @staticmethod
    def scalar(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return "[" + ", ".join(value) + "]"
        return str(value)

    def edit(self, f):
        """Changes one or two fields of a record in place."""
        r = self.rng
        for _ in range(r.choice([1, 1, 1, 2])):
            key = r.choice([k for k in f if k != "id"])
            value = f[key]
            if isinstance(value, bool):
                f[key] = not value
                if key == "applies":
                    f["justification"] = "Not applicable to our processing"
            elif isinstance(value, int):
                f[key] = r.randint(1, 5)
            elif isinstance(value, list):
                if value and r.random() < 0.4:
                    value = value[:-1]
                else:
                    value = value + [f"{value[0].split('-')[0] if value else 'CTRL'}-{r.randint(1, 500):04d}"]
                f[key] = value
            elif key.endswith(".last") or key == "collected_on":
                f[key] = day(r.randint(0, 2000))
            elif key == "treatment":
                f[key] = r.choice(["reduce", "accept", "transfer", "avoid"])
            elif key in ("status", "operation", "criticality", "result", "every", "review.every", "source"):
                f[key] = {"status": r.choice(["planned", "implemented", "operating", "retired"]),
                          "operation": r.choice(["manual", "automated", "review"]),
                          "criticality": r.choice(["high", "medium", "low"]),
                          "result": r.choice(["pass", "fail", "exception"]),
                          "every": r.choice(CADENCES), "review.every": r.choice(CADENCES),
                          "source": r.choice(["GDPR", "NIS2", "ISO27001", "contract"])}[key]
            elif key == "owner" or key == "collected_by":
                f[key] = r.choice(OWNERS)
            else:
                f[key] = f"{self.words(r.randint(3, 12)).capitalize()}."

    # --- one commit's worth of ISMS work on a view (main or a branch) --------------------------------
    def isms_changes(self, view, paths, creating):
        """Mutates view/paths (id -> fields / path) and returns the fast-import changes and a message."""
        r = self.rng
        changes = []
        ids = list(view)
        roll = r.random()
        if creating or not ids:
            folder, prefix = self.pick_kind()
            rid, path, f = self.new_record(folder, prefix)
            view[rid], paths[rid] = f, path
            self.kind_of[rid] = folder
            return [("M", path, self.render(f))], f"Add {rid}"
        rid = r.choice(ids)
        f = view[rid]
        if roll < 0.095:  # rename or move, sometimes with an edit in the same commit
            old = paths[rid]
            folder = old.split("/")[1]
            stem = old.rsplit("/", 1)[1]
            new = (f"isms/{folder}/archive/{stem}" if r.random() < 0.5 and "/archive/" not in old
                   else f"isms/{folder}/{self.words(2).replace(' ', '-')}-{rid.lower()}.yaml")
            if new == old:
                new = f"isms/{folder}/renamed-{rid.lower()}.yaml"
            if r.random() < 0.4:
                self.edit(f)
            paths[rid] = new
            return [("D", old), ("M", new, self.render(f))], f"Move {rid}"
        if roll < 0.097 and len(ids) > 50:  # delete, to be restored later
            path = paths.pop(rid)
            del view[rid]
            self.deleted[rid] = (path, f)
            return [("D", path)], f"Remove {rid}"
        if roll < 0.099 and self.deleted:  # restore a deleted record
            rid = r.choice(sorted(self.deleted))
            path, f = self.deleted.pop(rid)
            if rid in view:
                return [], ""
            view[rid], paths[rid] = f, path
            return [("M", path, self.render(f))], f"Restore {rid}"
        if roll < 0.100:  # renumber in place
            folder = paths[rid].split("/")[1]
            prefix = rid.split("-")[0]
            self.counters[folder] += 1
            new_id = f"{prefix}-{self.counters[folder]:04d}"
            del view[rid]
            f["id"] = new_id
            view[new_id] = f
            paths[new_id] = paths.pop(rid)
            self.kind_of[new_id] = folder
            return [("M", paths[new_id], self.render(f))], f"Renumber {rid} as {new_id}"
        # Edit one to three records.
        touched = {rid}
        for _ in range(r.choice([1, 2, 3, 3, 4, 4])):
            touched.add(r.choice(ids))
        for t in sorted(touched):
            self.edit(view[t])
            changes.append(("M", paths[t], self.render(view[t])))
        return changes, f"Update {', '.join(sorted(touched))}"

    def pick_kind(self):
        r = self.rng.random()
        acc = 0.0
        for folder, prefix, share in KINDS:
            acc += share
            if r < acc:
                return folder, prefix
        return KINDS[0][0], KINDS[0][1]

    def churn(self):
        changes = []
        for _ in range(self.rng.randint(1, 3)):
            path = self.rng.choice(self.churn_files)
            self.churn_state[path] = self.churn_state.get(path, 0) + 1
            changes.append(("M", path, f"{path} revision {self.churn_state[path]}\n{self.words(20)}\n"))
        return changes

    # --- the whole history -----------------------------------------------------------------------------
    def run(self):
        a = self.args
        config = "name: Benchmark ISMS\nscope: Everything\n"
        initial = [("M", "isms/isms.yaml", config), ("M", "README.md", "# Product\n")]
        initial_records = a.records // 2
        for _ in range(initial_records):
            folder, prefix = self.pick_kind()
            rid, path, f = self.new_record(folder, prefix)
            self.records[rid], self.paths[rid] = f, path
            self.kind_of[rid] = folder
            initial.append(("M", path, self.render(f)))
        main = self.commit("refs/heads/main", "Initial ISMS", initial, [], AUTHORS[0])
        to_create = a.records - initial_records

        while self.commits < a.commits:
            r = self.rng.random()
            if r < 0.35:  # unrelated churn only
                main = self.commit("refs/heads/main", "Work on the product", self.churn(), [main])
            elif r < 0.955 or a.commits - self.commits < 12:  # ISMS work on main, sometimes with churn
                # Spread the creations over the history: about 60% of the remaining commits are ISMS work.
                creating = to_create > 0 and self.rng.random() < to_create / max(1.0, (a.commits - self.commits) * 0.6)
                changes, message = self.isms_changes(self.records, self.paths, creating=creating)
                if creating:
                    to_create -= 1
                if not changes:
                    continue
                if self.rng.random() < 0.2:
                    changes += self.churn()
                main = self.commit("refs/heads/main", message, changes, [main])
            else:
                main = self.topic_branch(main)
        sys.stderr.write(f"{self.commits} commits, {len(self.records)} records at the tip\n")

    def topic_branch(self, main):
        """A branch of 2-6 commits editing a few records while main goes on, merged with --no-ff."""
        r = self.rng
        branch_view = {k: dict(v) for k, v in self.records.items()}
        branch_paths = dict(self.paths)
        branch = main
        branch_touched = set()
        for _ in range(r.randint(2, 6)):
            rid = r.choice(sorted(branch_view))
            self.edit(branch_view[rid])
            branch_touched.add(rid)
            branch = self.commit("refs/heads/topic", f"Topic: update {rid}", [("M", branch_paths[rid], self.render(branch_view[rid]))], [branch])
        # Main moves on meanwhile, away from the branch's records (but sometimes onto one: a conflict).
        conflict = None
        for _ in range(r.randint(1, 3)):
            if r.random() < 0.15 and conflict is None:
                conflict = r.choice(sorted(branch_touched))
                self.edit(self.records[conflict])
                main = self.commit("refs/heads/main", f"Update {conflict}", [("M", self.paths[conflict], self.render(self.records[conflict]))], [main])
            else:
                main = self.commit("refs/heads/main", "Work on the product", self.churn(), [main])
        changes = []
        for rid in sorted(branch_touched):
            if rid == conflict:
                # Resolve: the branch's fields, plus a value neither side had.
                merged = dict(branch_view[rid])
                self.edit(merged)
                self.records[rid] = merged
            elif rid in self.records:
                self.records[rid] = branch_view[rid]
            else:
                continue
            changes.append(("M", self.paths[rid], self.render(self.records[rid])))
        return self.commit("refs/heads/main", "Merge branch 'topic'", changes, [main, branch])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--commits", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    Generator(parser.parse_args()).run()


if __name__ == "__main__":
    main()
