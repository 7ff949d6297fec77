"""Realistic filled workbooks from a seed, for benchmarks, property tests and demos.

The values look like what offices type: indicators of tujuan and sasaran with
percent, index and count units, some Negatif, range and letter-grade
targets, a PK revision now and then, quarterly realisasi, last year's
figures, and a budget tree of programs, kegiatan and sub kegiatan whose
parents carry the sums of their children. `messy=True` adds the mistakes of
the seed reports: text numbers in both styles, units in cells, a rupiah
amount in an index column, a parent total that is off.
"""

from __future__ import annotations

import random

from .model.fill import Filling

OFFICES = ["Kecamatan Bluto", "Kecamatan Kalianget", "Kecamatan Saronggi", "Dinas Kesehatan",
           "Dinas Pendidikan", "Badan Kepegawaian Daerah", "Dinas Pertanian", "Kecamatan Gapura"]


def _id_style(x: float) -> str:
    """A rupiah amount as an Indonesian report prints it: 1.234.567."""
    return f"{int(round(x)):,}".replace(",", ".")


def synthetic_filling(seed: int, indicators: int = 30, budget_rows: int = 300, *, tahun: int = 2023,
                      office: str | None = None, messy: bool = False) -> Filling:
    rnd = random.Random(seed)
    f = Filling()
    f.identity = {
        "Pemerintah Daerah": "Kabupaten Sumenep",
        "Perangkat Daerah": office or f"{rnd.choice(OFFICES)} {seed}",
        "Kode Perangkat Daerah": f"7.01.{seed % 100:02d}",
        "Tahun Kinerja": tahun,
        "Periode Renstra": "2021-2026",
        "Nama Pimpinan": "Nama Pimpinan",
        "Batas Capaian": rnd.choice(["Tanpa Batas", "Tanpa Batas", "100", "120"]),
        "Metode Efisiensi": rnd.choice(["Selisih", "Indeks", "Sisa Anggaran"]),
    }
    iku: list[dict[str, object]] = []
    pk: list[dict[str, object]] = []
    real: list[dict[str, object]] = []
    n_goals = max(1, indicators // 6)
    for i in range(indicators):
        kode = f"{i // 6 + 1}.{i % 6 + 1}"
        kind = rnd.random()
        target: float | str  # a number, a range "60 - 70" or a letter grade
        value: float | str | None
        satuan, polaritas, target, value = "%", "Positif", round(rnd.uniform(60, 100)), None
        if kind < 0.1:
            satuan, target = "Predikat SAKIP", rnd.choice(["B", "BB", "A"])
            value = rnd.choice(["B", "BB", "A", "AA"])
        elif kind < 0.2:
            polaritas, target = "Negatif", round(rnd.uniform(2, 20), 1)
        elif kind < 0.3:
            low = round(rnd.uniform(60, 85))
            target = f"{low} - {low + 10}"
        elif kind < 0.5:
            satuan, target = "Nilai", round(rnd.uniform(70, 90), 2)
        elif kind < 0.6:
            satuan, target = "Dokumen", rnd.randint(2, 20)
        if value is None:
            base = target if isinstance(target, (int, float)) else float(str(target).split(" - ")[0])
            value = round(base * rnd.uniform(0.7, 1.15), 2)
        iku.append({"Kode": kode, "Jenis": "Tujuan" if i % 6 == 0 else "Sasaran",
                    "Tujuan/Sasaran": f"Sasaran strategis {i // 6 + 1} dari {n_goals}",
                    "Indikator Kinerja": f"Indikator kinerja {kode}", "Satuan": satuan, "Polaritas": polaritas,
                    "IKU": "Ya" if rnd.random() < 0.8 else "Tidak",
                    "Agregasi Triwulan": rnd.choice(["Terakhir", "Jumlah", "Rata-rata"]),
                    "Target Akhir Renstra": target if isinstance(target, str) else round(target * 1.1, 2),
                    "Standar Nasional": round(target * 1.05, 2) if isinstance(target, (int, float)) and
                    rnd.random() < 0.3 else None})
        revised = rnd.random() < 0.15 and isinstance(target, (int, float))
        pk.append({"Kode": kode, "Target": target,
                   "Target Perubahan": round(target * 0.95, 2) if revised and not isinstance(target, str) else None,
                   "Keterangan Perubahan": "Perubahan anggaran" if revised else None})
        quarterly = rnd.random() < 0.3 and isinstance(value, float)
        row: dict[str, object] = {"Kode": kode, "Realisasi": None if quarterly else value,
               "Target N-1": target if not isinstance(target, str) or satuan != "%" else None,
               "Realisasi N-1": round(value * rnd.uniform(0.9, 1.05), 2) if isinstance(value, float) else value,
               "Realisasi N-2": round(value * rnd.uniform(0.8, 1.0), 2) if isinstance(value, float) else None,
               "Analisis": "Tercapai karena koordinasi yang baik" if rnd.random() < 0.5 else None}
        if quarterly and isinstance(value, float):  # (quarterly implies a float value)
            for q in ("I", "II", "III", "IV"):
                row[f"Realisasi TW {q}"] = round(value * rnd.uniform(0.2, 0.3), 2)
        real.append(row)
    f.tables = {"iku": iku, "pk": pk, "realisasi": real, "anggaran": _budget(rnd, budget_rows, indicators)}
    if messy:
        _mess_up(rnd, f)
    return f


def _budget(rnd: random.Random, n: int, indicators: int) -> list[dict[str, object]]:
    """Programs > kegiatan > sub kegiatan, money at the bottom and summed upwards."""
    rows: list[dict[str, object]] = []
    p = 0
    while len(rows) < n:
        p += 1
        program: dict[str, object] = {"Kode": f"7.01.{p:02d}", "Jenis": "Program", "Uraian": f"Program {p}",
                   "Kode Indikator": f"{rnd.randint(0, max(0, indicators - 1)) // 6 + 1}.1"}
        rows.append(program)
        totals = [0.0, 0.0, 0.0]
        for k in range(1, rnd.randint(2, 5) + 1):
            if len(rows) >= n:
                break
            kegiatan: dict[str, object] = {"Kode": f"7.01.{p:02d}.2.{k:02d}", "Jenis": "Kegiatan",
                                           "Uraian": f"Kegiatan {p}.{k}"}
            rows.append(kegiatan)
            ktot = [0.0, 0.0, 0.0]
            for s in range(1, rnd.randint(2, 8) + 1):
                if len(rows) >= n:
                    break
                pagu = rnd.randrange(5_000_000, 400_000_000, 1000)
                awal = pagu if rnd.random() < 0.7 else rnd.randrange(5_000_000, 400_000_000, 1000)
                spent = round(pagu * rnd.uniform(0.6, 1.0))
                target = rnd.randint(1, 24)
                rows.append({"Kode": f"7.01.{p:02d}.2.{k:02d}.{s:04d}", "Jenis": "Sub Kegiatan",
                             "Uraian": f"Sub kegiatan {p}.{k}.{s}", "Indikator Kinerja": "Jumlah laporan",
                             "Satuan Kinerja": "Laporan", "Target Kinerja": target,
                             "Realisasi Kinerja": min(target, rnd.randint(target - 2, target + 1)),
                             "Pagu Awal": awal, "Pagu": pagu, "Realisasi Anggaran": spent})
                for i, v in enumerate((awal, pagu, spent)):
                    ktot[i] += v
            kegiatan.update({"Pagu Awal": ktot[0], "Pagu": ktot[1], "Realisasi Anggaran": ktot[2]})
            for i in range(3):
                totals[i] += ktot[i]
        program.update({"Pagu Awal": totals[0], "Pagu": totals[1], "Realisasi Anggaran": totals[2]})
    return rows


def _mess_up(rnd: random.Random, f: Filling) -> None:
    """The kinds of mistakes the seed reports contain."""
    budget = f.tables["anggaran"]
    for row in rnd.sample(budget, k=max(1, len(budget) // 10)):
        pagu = row.get("Pagu")
        if isinstance(pagu, (int, float)):
            row["Pagu"] = _id_style(pagu) if rnd.random() < 0.8 else f"{int(pagu):,}"
    program = next(r for r in budget if r["Jenis"] == "Program")
    spent = program.get("Realisasi Anggaran")
    if isinstance(spent, float):
        program["Realisasi Anggaran"] = spent + 57_500  # a total that is not the sum of its children
    real = f.tables["realisasi"]
    numeric = [r for r, p in zip(real, f.tables["pk"]) if isinstance(p["Target"], (int, float))]
    victim = rnd.choice(numeric or real)
    victim["Realisasi"] = _id_style(rnd.randrange(10_000_000, 20_000_000, 100))  # rupiah in an index column
    for row in rnd.sample(real, k=max(1, len(real) // 8)):
        if isinstance(row.get("Realisasi"), float):
            row["Realisasi"] = f"{row['Realisasi']:.2f}".replace(".", ",") + " %"
