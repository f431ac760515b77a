"""Themes: the recurring topics in a set of comments, found offline.

1. The comments become TF-IDF vectors of words and word pairs, the language's function
   words dropped.
2. NMF splits them into more groups than there can be topics: the number of topics is
   unknown, and one topic said in several wordings looks like several.
3. Groups are merged when one word is used by most comments of each: their anchor
   ("hold" in "on hold forever" and "put on hold again"). The word anchoring the most
   comments goes first.
4. Each comment settles on the theme whose anchor words it uses.
5. A theme with too few comments is dropped; its comments, and those using no word of
   any theme, are "other".

Everything is deterministic (a fixed seed), so a refit on the same comments gives the
same themes.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from surveys.said.stopwords import stop_words

# A word anchors a group when at least this share of the group's comments use it.
ANCHOR_USAGE = 0.6
# Groups whose word usage is at least this alike (cosine) are one theme.
PROFILE_SIMILARITY = 0.3
# A theme needs this many comments, and this share of them, to be shown.
MIN_COMMENTS = 3
MIN_SHARE = 0.03
MAX_GROUPS = 30
LABEL_TERMS = 3
KEPT_WORDS = 40
TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W\d_'-]+\b"


@dataclass
class FoundTheme:
    terms: list[str]
    # The share of the theme's comments using each of its most used words: what places
    # a comment that arrives after the fit.
    usage: dict[str, float]
    members: list[int]

    @property
    def label(self) -> str:
        return ", ".join(self.terms)


def place(usages: list[dict[str, float]], texts: list[str]) -> list[int | None]:
    """For each text, the index of the theme (given by its word usage) whose anchor words
    it uses most, or None when it uses none."""
    if not usages or not texts:
        return [None] * len(texts)
    analyze = CountVectorizer(token_pattern=TOKEN_PATTERN).build_analyzer()
    placed: list[int | None] = []
    for text in texts:
        words = set(analyze(text or ""))
        scores = [
            sum(share for word, share in usage.items() if share >= ANCHOR_USAGE and word in words)
            for usage in usages
        ]
        best = max(range(len(scores)), key=scores.__getitem__)
        placed.append(best if scores[best] > 0 else None)
    return placed


def find_themes(texts: list[str], languages: Iterable[str] = ("en",)) -> list[FoundTheme]:
    """The themes of these comments, largest first; members index into texts. The function
    words of all the languages given are dropped: one set of comments may mix languages,
    and their themes then part along the languages' words."""
    positions = [i for i, text in enumerate(texts) if text and text.strip()]
    if len(positions) < MIN_COMMENTS:
        return []
    kept = [texts[i] for i in positions]
    vectorizer = TfidfVectorizer(
        token_pattern=TOKEN_PATTERN,
        stop_words=sorted(set().union(*(stop_words(lang) for lang in languages))) or None,
        ngram_range=(1, 2),
        min_df=2,
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        vectors = vectorizer.fit_transform(kept)
    except ValueError:  # no word used twice: nothing recurs, so no themes
        return []
    terms = vectorizer.get_feature_names_out()
    words = np.array([" " not in term for term in terms])
    used = (vectors[:, words] > 0).astype(np.float32).tocsr()
    word_terms = terms[words]

    groups = int(min(MAX_GROUPS, round(1.5 * np.sqrt(len(kept))), vectors.shape[1]))
    if groups < 2:
        return []
    nmf = NMF(n_components=groups, init="nndsvda", max_iter=400, random_state=0)
    # Its reconstruction error can round just below zero in float32 (the square root
    # then warns); the factors are unaffected.
    with np.errstate(invalid="ignore"):
        weights = nmf.fit_transform(vectors)
    assignment = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
    for _ in range(3):  # settling can leave two groups sharing an anchor: merge again
        merged = _renumber(_merge_by_anchors(used, assignment, groups))
        merged = _renumber(_merge_by_profile(used, merged))
        settled = _settle(used, merged)
        if np.array_equal(settled, assignment) or settled.max() < 0:
            break
        assignment, groups = settled, int(settled.max()) + 1
    return _themes(vectors, used, assignment, terms, word_terms, positions)


def _group_counts(matrix: sparse.csr_matrix, assignment: np.ndarray, groups: int) -> np.ndarray:
    """Per group, the column sums of its members' rows."""
    member = assignment >= 0
    indicator = sparse.csr_matrix(
        (np.ones(int(member.sum())), (assignment[member], np.flatnonzero(member))),
        shape=(groups, matrix.shape[0]),
    )
    return np.asarray((indicator @ matrix).todense())


def _merge_by_anchors(used: sparse.csr_matrix, assignment: np.ndarray, groups: int) -> np.ndarray:
    """Join the groups sharing an anchor word, the word anchoring the most comments first,
    so one topic's wordings come together ("on hold" in six wordings) before a word two
    topics happen to share ("nobody picked up", "nobody called back") can join them:
    once merged, that word no longer anchors the bigger group."""
    counts = _group_counts(used, assignment, groups)
    sizes = np.bincount(assignment[assignment >= 0], minlength=groups).astype(float)
    group_of = np.arange(groups)
    while True:
        alive = np.flatnonzero(sizes > 0)
        anchored = counts[alive] >= ANCHOR_USAGE * sizes[alive][:, None]
        shared = anchored.sum(axis=0) >= 2
        if not shared.any():
            break
        coverage = np.where(shared, (anchored * sizes[alive][:, None]).sum(axis=0), 0)
        joined = alive[anchored[:, coverage.argmax()]]
        keep = joined[np.argmax(sizes[joined])]
        for gone in joined[joined != keep]:
            counts[keep] += counts[gone]
            sizes[keep] += sizes[gone]
            counts[gone] = sizes[gone] = 0
            group_of[group_of == gone] = keep
    return np.where(assignment >= 0, group_of[np.maximum(assignment, 0)], -1)


def _merge_by_profile(used: sparse.csr_matrix, assignment: np.ndarray) -> np.ndarray:
    """Join the groups whose word usage is alike (cosine), closest pair first: topics
    carried by a vocabulary rather than one word ("queue", "ages", "music", "minutes")
    are split by NMF along whichever words a few comments happen to share."""
    if assignment.max() < 1:
        return assignment
    groups = int(assignment.max()) + 1
    counts = _group_counts(used, assignment, groups)
    sizes = np.bincount(assignment[assignment >= 0], minlength=groups).astype(float)
    group_of = np.arange(groups)
    alive = list(range(groups))
    while len(alive) > 1:
        profiles = counts[alive] / sizes[alive][:, None]
        profiles /= np.maximum(np.linalg.norm(profiles, axis=1), 1e-12)[:, None]
        similarity = profiles @ profiles.T
        np.fill_diagonal(similarity, -1)
        a, b = np.unravel_index(similarity.argmax(), similarity.shape)
        if similarity[a, b] < PROFILE_SIMILARITY:
            break
        keep, gone = alive[a], alive[b]
        counts[keep] += counts[gone]
        sizes[keep] += sizes[gone]
        group_of[group_of == gone] = keep
        alive.remove(gone)
    return np.where(assignment >= 0, group_of[np.maximum(assignment, 0)], -1)


def _renumber(assignment: np.ndarray) -> np.ndarray:
    numbers = {g: i for i, g in enumerate(sorted(set(assignment[assignment >= 0].tolist())))}
    return np.array([numbers.get(g, -1) for g in assignment.tolist()])


def _usage(used: sparse.csr_matrix, assignment: np.ndarray) -> np.ndarray:
    groups = int(assignment.max()) + 1
    sizes = np.bincount(assignment[assignment >= 0], minlength=groups).astype(float)
    return _group_counts(used, assignment, groups) / np.maximum(sizes, 1)[:, None]


def _settle(used: sparse.csr_matrix, assignment: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Each comment moves to the theme whose anchor words it uses most, weighted by how
    widely the theme uses them: "endless hold music, had to call twice" goes with "on
    hold" (used by all of that theme), not "call back" (used by most of it). A comment
    using no anchor word stays where it is."""
    for _ in range(rounds):
        if assignment.max() < 0:
            break
        usage = _usage(used, assignment)
        score = np.asarray(used @ np.where(usage >= ANCHOR_USAGE, usage, 0).T)
        moved = np.where(score.max(axis=1) > 0, score.argmax(axis=1), assignment)
        if np.array_equal(moved, assignment):
            break
        assignment = moved
    return assignment


def _themes(
    vectors: sparse.csr_matrix,
    used: sparse.csr_matrix,
    assignment: np.ndarray,
    terms: np.ndarray,
    word_terms: np.ndarray,
    positions: list[int],
) -> list[FoundTheme]:
    if assignment.max() < 0:
        return []
    groups = int(assignment.max()) + 1
    weight = _group_counts(vectors, assignment, groups)
    usage = _usage(used, assignment)
    found = []
    for group in range(groups):
        members = np.flatnonzero(assignment == group)
        if len(members) < MIN_COMMENTS or len(members) < MIN_SHARE * len(assignment):
            continue
        ranked = [terms[i] for i in np.argsort(-weight[group])[:KEPT_WORDS] if weight[group, i] > 0]
        common = np.argsort(-usage[group])[:KEPT_WORDS]
        found.append(
            FoundTheme(
                terms=_label(ranked),
                usage={
                    str(word_terms[i]): round(float(usage[group, i]), 3)
                    for i in common
                    if usage[group, i] > 0
                },
                members=[positions[m] for m in members],
            )
        )
    found.sort(key=lambda theme: -len(theme.members))
    return found


def _label(ranked: list[str]) -> list[str]:
    """The strongest terms; a word pair replaces the single words it contains."""
    label: list[str] = []
    for term in ranked:
        words = set(term.split())
        if any(set(chosen.split()) >= words for chosen in label):
            continue  # already said by a chosen pair
        label = [chosen for chosen in label if not set(chosen.split()) <= words]
        label.append(str(term))
        if len(label) == LABEL_TERMS:
            break
    return label
