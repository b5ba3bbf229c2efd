"""Engine turn latency: replays 10 000 turns over the scenario library with seeded
random replies and prints p50/p95/max per turn, analysis excluded (target p95 < 1 ms).

Replies are analysed once up front (memoised), and the figure is the engine's own
``engine_ms`` for each reply, so the analyzer's cost never leaks into it.
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import sys
import time
from pathlib import Path

# bench/scoring.py would shadow the `scoring` package: import from the project root.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from scoring.analyzer import analyze  # noqa: E402
from simulator.dialogue.engine import Engine, State  # noqa: E402
from simulator.dialogue.loader import iter_scenario_files, load_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

POOL = {
    "fr": [
        "Bonjour Madame, Julien Roux du service recouvrement de Nordis.",
        "Je suis bien avec la personne qui gère les règlements ?",
        "Je vous appelle au sujet de la facture de 1 380 € échue le 15 octobre.",
        "Qu'est-ce qui explique ce retard ?",
        "Je comprends que ce soit compliqué en ce moment.",
        "Si je comprends bien, la facture n'est jamais arrivée chez vous.",
        "Je vous propose 500 € vendredi et le solde le 15 décembre par virement.",
        "Je ne peux pas accepter un report en janvier.",
        "Sans règlement, le dossier partira au service contentieux.",
        "Pour quelle date puis-je noter votre virement ?",
        "Je récapitule : 500 € vendredi par virement, le solde le 15.",
        "Je vous confirme tout cela par mail.",
        "Merci, bonne journée.",
        "Vous vous moquez de moi ?",
        "Euh… d'accord.",
        "",
        "The weather is nice today.",
    ],
    "en": [
        "Good morning, this is Sam from Harbour Supplies accounts.",
        "Am I speaking with the person in charge of payments?",
        "I'm calling about invoice 2041 for £1,200, due on 15 October.",
        "What is holding the payment up?",
        "I understand this is a difficult time.",
        "I can offer three monthly payments of £400 starting Friday.",
        "Can I count on the transfer by Friday?",
        "To sum up: £1,200 by bank transfer on Friday.",
        "I'll send you an email confirming this.",
        "Thanks, have a good day.",
        "Are you kidding me?",
        "",
        "Bonjour, c'est pour la facture.",
    ],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    loaded = [load_scenario(p) for p in iter_scenario_files([ROOT / "scenarios"])]
    cached = functools.lru_cache(maxsize=None)(analyze)

    def analyzer(text, lang, context=None, *, call_date=None):  # type: ignore[no-untyped-def]
        return cached(text, lang, None, call_date=call_date)

    rng = random.Random(args.seed)
    latencies: list[float] = []
    calls = 0
    began = time.perf_counter()
    while len(latencies) < args.turns:
        scenario = rng.choice(loaded)
        engine = Engine(scenario, analyzer, seed=rng.randrange(1 << 30))
        engine.start()
        calls += 1
        pool = POOL[scenario.scenario.lang]
        for _ in range(60):
            if engine.state is State.FINISHED or len(latencies) >= args.turns:
                break
            latencies.append(engine.reply(rng.choice(pool)).engine_ms)
    wall = time.perf_counter() - began
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(f"engine: {len(latencies)} turns over {calls} calls, {len(loaded)} scenarios")
    print(
        f"  turn latency (analysis excluded): p50 {p50:.3f} ms  p95 {p95:.3f} ms  "
        f"max {latencies[-1]:.3f} ms   (target p95 < 1 ms)"
    )
    print(f"  wall time incl. first-time analysis: {wall:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
