#!/usr/bin/env python3
"""Writes territory.geojson: 云溪区 (Yunxi District, code 360299), a fictional district of
two streets, four communities and twenty grids whose boundaries share their vertices
exactly (a jittered lattice), so that the territory tiles without overlaps or gaps.
Deterministic: running it again writes the same file."""
import json
import random
import sys

random.seed(299)
# `make_territory.py COLS ROWS OUT` writes a larger district of the same pattern for
# benchmarks (docs/BENCHMARKS.md); without arguments, the example itself.
COLS, ROWS = (int(sys.argv[1]), int(sys.argv[2])) if len(sys.argv) > 2 else (5, 4)
OUT = sys.argv[3] if len(sys.argv) > 3 else "territory.geojson"
X0, Y0, STEP = 116.050, 28.950, 0.004  # about 390 m x 440 m per grid

# Lattice points; the inner ones moved by up to a quarter step so grids look drawn by hand.
pts = {}
for i in range(COLS + 1):
    for j in range(ROWS + 1):
        dx = dy = 0.0
        if 0 < i < COLS and 0 < j < ROWS:
            dx, dy = (random.uniform(-0.25, 0.25) * STEP for _ in range(2))
        pts[i, j] = [round(X0 + i * STEP + dx, 6), round(Y0 + j * STEP + dy, 6)]


def ring(i0, j0, i1, j1):
    """The closed boundary of the block of cells [i0, i1) x [j0, j1), through every lattice
    point on it, counter-clockwise."""
    r = [pts[i, j0] for i in range(i0, i1)]
    r += [pts[i1, j] for j in range(j0, j1)]
    r += [pts[i, j1] for i in range(i1, i0, -1)]
    r += [pts[i0, j] for j in range(j1, j0, -1)]
    return r + [r[0]]


def feature(code, name, name_en, level, parent, block):
    return {"type": "Feature",
            "properties": {"code": code, "name": name, "name_en": name_en, "level": level, "parent": parent},
            "geometry": {"type": "Polygon", "coordinates": [ring(*block)]}}


DISTRICT = "360299"
if (COLS, ROWS) == (5, 4):
    streets = [("001", "云溪街道", "Yunxi Subdistrict", (0, 0, 3, 4)),
               ("002", "枫林镇", "Fenglin Town", (3, 0, 5, 4))]
    communities = {
        "001": [("001", "溪口社区", "Xikou Community", (0, 0, 3, 2)), ("002", "望月社区", "Wangyue Community", (0, 2, 3, 4))],
        "002": [("001", "枫林村", "Fenglin Village", (3, 0, 5, 2)), ("002", "石桥村", "Shiqiao Village", (3, 2, 5, 4))],
    }
else:
    # Streets of 10 columns, communities of 5 x 4 grids.
    streets, communities = [], {}
    for s_i, x in enumerate(range(0, COLS, 10)):
        code = f"{s_i + 1:03d}"
        streets.append((code, f"第{s_i + 1}街道", f"Street {s_i + 1}", (x, 0, min(x + 10, COLS), ROWS)))
        communities[code] = []
        n = 0
        for cx in range(x, min(x + 10, COLS), 5):
            for cy in range(0, ROWS, 4):
                n += 1
                communities[code].append((f"{n:03d}", f"第{n}社区", f"Community {n}", (cx, cy, min(cx + 5, COLS), min(cy + 4, ROWS))))
features = []
for s, s_name, s_en, s_block in streets:
    street = DISTRICT + s
    features.append(feature(street, s_name, s_en, "street", DISTRICT, s_block))
    for c, c_name, c_en, (i0, j0, i1, j1) in communities[s]:
        community = street + c
        features.append(feature(community, c_name, c_en, "community", street, (i0, j0, i1, j1)))
        n = 0
        for j in range(j0, j1):
            for i in range(i0, i1):
                n += 1
                features.append(feature(f"{community}{n:03d}", f"{c_name}第{n}网格", f"{c_en} Grid {n}",
                                        "grid", community, (i, j, i + 1, j + 1)))

with open(OUT, "w", encoding="utf-8") as f:
    json.dump({"type": "FeatureCollection", "features": features}, f, ensure_ascii=False, indent=1)
print(len(features), "features")
