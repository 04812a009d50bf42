"""Testing rule sets: run `cases.yaml` files (also as pytest items), measure which outcomes the
cases exercise (`coverage`), probe every threshold and window at its boundary (`boundaries`,
with the probes of `probes`) and check that the cases notice small changes to the rules
(`mutate`).

`cases` loads and runs one cases file, `suite` finds cases files and runs them with one engine
per rules folder, `pytest_plugin` makes each case a pytest item. `written` reads what a rule
file says as written (criterion lines, `latest:` thresholds in their written unit), `rewrite`
rebuilds IR trees with one change. Three-valued truth is `screening.ruleset.kleene`'s.
"""
