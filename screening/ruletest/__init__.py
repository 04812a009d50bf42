"""Testing rule sets: run `cases.yaml` files (also as pytest items), measure which outcomes the
cases exercise (`coverage`), probe every threshold and window at its boundary (`boundaries`)
and check that the cases notice small changes to the rules (`mutate`)."""
