"""The scipy / scikit-learn and Keras-formula columns of docs/adversarial.md.

Reads the cases (JSON, from docs/adversarial.mjs) on stdin and prints one result per case:
{"id", "scipy", "keras"}. Run with Debian's /usr/bin/python3 (python3-scipy 1.10, python3-sklearn
1.2). Keras is not installed here: its column evaluates the formula Keras documents for
tf.keras.losses.kl_divergence -- both inputs clipped to [1e-7, 1], sum(y_true * log(y_true /
y_pred)) -- in float32, Keras' default float type.
"""
import json
import math
import sys

import numpy as np
import scipy
import sklearn
from scipy.spatial.distance import jensenshannon
from scipy.special import rel_entr
from scipy.stats import entropy
from sklearn.metrics import mutual_info_score
from sklearn.metrics.cluster._expected_mutual_info_fast import expected_mutual_information

NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def decode(x):
    """Cases encode NaN and infinities as {"num": "..."}; null, booleans and strings pass through."""
    if isinstance(x, dict) and "num" in x:
        return NON_FINITE[x["num"]]
    if isinstance(x, list):
        return [decode(v) for v in x]
    return x


def shown(v):
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def attempt(fn):
    try:
        with np.errstate(all="ignore"):
            return shown(fn())
    except Exception as e:  # every failure is a result worth tabulating
        return f"{type(e).__name__}: {str(e).splitlines()[0][:70]}"


def keras_kl(p, q):
    eps = np.float32(1e-7)
    y_true = np.clip(np.asarray(p, dtype=np.float32), eps, np.float32(1))
    y_pred = np.clip(np.asarray(q, dtype=np.float32), eps, np.float32(1))
    return np.sum(y_true * np.log(y_true / y_pred), dtype=np.float32)


def scipy_result(case):
    m, args, o = case["measure"], [decode(a) for a in case["args"]], case.get("options", {})
    base = o.get("base")
    conv = o.get("convention", "scipy")
    if m == "entropy":
        return attempt(lambda: entropy(args[0], base=base))
    if m == "kl" and conv == "raw":
        return attempt(lambda: np.sum(rel_entr(args[0], args[1])) / (math.log(base) if base else 1))
    if m == "kl":
        return attempt(lambda: entropy(args[0], args[1], base=base))
    if m == "crossEntropy":
        # scipy has no cross-entropy: H(p) + D(p||q), as its docs suggest.
        return attempt(lambda: entropy(args[0], base=base) + entropy(args[0], args[1], base=base))
    if m == "jsd":
        return attempt(lambda: jensenshannon(args[0], args[1], base=base) ** 2)
    if m == "jsDistance":
        return attempt(lambda: jensenshannon(args[0], args[1], base=base))
    if m == "mutualInfoScore":
        return attempt(lambda: mutual_info_score(None, None, contingency=np.asarray(args[0])))
    if m == "expectedMutualInfo":
        # AMI has no contingency argument: its expected-MI step on the table's counts.
        table = np.asarray(args[0], dtype=np.int64)
        return attempt(lambda: expected_mutual_information(table, int(table.sum())))
    return "n/a"


def keras_result(case):
    if case["measure"] != "kl":
        return "n/a"
    args = [decode(a) for a in case["args"]]
    return attempt(lambda: keras_kl(args[0], args[1]))


def main():
    cases = json.load(sys.stdin)
    out = {
        "versions": {"scipy": scipy.__version__, "sklearn": sklearn.__version__, "numpy": np.__version__},
        "results": [{"id": c["id"], "scipy": scipy_result(c), "keras": keras_result(c)} for c in cases],
    }
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
