"""The archive's tables, its schema version and the migrations between versions.

docs/archive.md documents every table and column; a test compares it with the
database. To change the schema: add a migration to MIGRATIONS (its SQL takes an
archive of the previous version to the new one), bump SCHEMA_VERSION, and update
docs/archive.md. An archive is migrated, in one transaction, when it is opened for
writing.
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 1

#: The scope of a merge: workbooks of the offices of one kabupaten or kota, or
#: archives of several (a province, or further up).
KABUPATEN, PROVINSI = "kabupaten/kota", "provinsi"

TABLES = ("skema", "penggabungan", "perangkat_daerah", "indikator", "anggaran", "pemeriksaan", "berkas")

_V1 = [
    """CREATE TABLE skema (
        versi INTEGER PRIMARY KEY,
        dipasang TIMESTAMP NOT NULL,
        keterangan VARCHAR NOT NULL)""",
    """CREATE TABLE penggabungan (
        tahun INTEGER NOT NULL,
        lingkup VARCHAR NOT NULL CHECK (lingkup IN ('kabupaten/kota', 'provinsi')),
        waktu TIMESTAMP NOT NULL,
        versi_sakip_xl VARCHAR NOT NULL,
        versi_templat VARCHAR NOT NULL,
        jumlah_berkas INTEGER NOT NULL,
        jumlah_perangkat_daerah INTEGER NOT NULL,
        PRIMARY KEY (tahun, lingkup))""",
    """CREATE TABLE perangkat_daerah (
        tahun INTEGER NOT NULL,
        lingkup VARCHAR NOT NULL,
        kunci VARCHAR NOT NULL,
        pemda VARCHAR NOT NULL,
        perangkat_daerah VARCHAR NOT NULL,
        kode VARCHAR NOT NULL,
        indikator_iku INTEGER NOT NULL,
        indikator_dengan_capaian INTEGER NOT NULL,
        indikator_dikecualikan_galat INTEGER NOT NULL,
        rata_rata_capaian DOUBLE,
        batas_capaian VARCHAR NOT NULL,
        kategori VARCHAR NOT NULL,
        pagu DOUBLE,
        realisasi_anggaran DOUBLE,
        penyerapan DOUBLE,
        efisiensi DOUBLE,
        efisiensi_teks VARCHAR,
        metode_efisiensi VARCHAR NOT NULL,
        galat INTEGER NOT NULL,
        peringatan INTEGER NOT NULL,
        status VARCHAR NOT NULL,
        berkas VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        versi_templat VARCHAR,
        digabung TIMESTAMP NOT NULL,
        PRIMARY KEY (tahun, lingkup, kunci))""",
    """CREATE TABLE indikator (
        tahun INTEGER NOT NULL,
        lingkup VARCHAR NOT NULL,
        kunci VARCHAR NOT NULL,
        urutan INTEGER NOT NULL,
        kode VARCHAR,
        jenis VARCHAR,
        tujuan_sasaran VARCHAR,
        indikator VARCHAR,
        satuan VARCHAR,
        iku VARCHAR,
        target DOUBLE,
        target_teks VARCHAR,
        realisasi DOUBLE,
        realisasi_teks VARCHAR,
        capaian DOUBLE,
        capaian_teks VARCHAR,
        kategori VARCHAR,
        catatan_galat VARCHAR,
        PRIMARY KEY (tahun, lingkup, kunci, urutan))""",
    """CREATE TABLE anggaran (
        tahun INTEGER NOT NULL,
        lingkup VARCHAR NOT NULL,
        kunci VARCHAR NOT NULL,
        urutan INTEGER NOT NULL,
        kode VARCHAR,
        jenis VARCHAR,
        uraian VARCHAR,
        pagu_awal DOUBLE,
        pagu DOUBLE,
        realisasi DOUBLE,
        penyerapan DOUBLE,
        keterangan VARCHAR,
        PRIMARY KEY (tahun, lingkup, kunci, urutan))""",
    """CREATE TABLE pemeriksaan (
        tahun INTEGER NOT NULL,
        lingkup VARCHAR NOT NULL,
        berkas VARCHAR NOT NULL,
        urutan INTEGER NOT NULL,
        kunci VARCHAR,
        tingkat VARCHAR NOT NULL,
        kode VARCHAR NOT NULL,
        lembar VARCHAR,
        sel VARCHAR,
        nilai VARCHAR,
        seharusnya VARCHAR,
        pesan VARCHAR NOT NULL,
        PRIMARY KEY (tahun, lingkup, berkas, urutan))""",
    """CREATE TABLE berkas (
        tahun INTEGER NOT NULL,
        lingkup VARCHAR NOT NULL,
        berkas VARCHAR NOT NULL,
        ukuran BIGINT NOT NULL,
        sha256 VARCHAR NOT NULL,
        versi_templat VARCHAR,
        disimpan TIMESTAMP,
        status VARCHAR NOT NULL,
        dipakai BOOLEAN NOT NULL,
        keterangan VARCHAR,
        kunci VARCHAR,
        PRIMARY KEY (tahun, lingkup, berkas))""",
]


@dataclass(frozen=True)
class Migration:
    """The SQL that takes an archive from version `versi - 1` to `versi`."""

    versi: int
    keterangan: str  # what changed, in Bahasa Indonesia (kept in the skema table)
    sql: tuple[str, ...]


#: Every version since the first, in order; MIGRATIONS[-1].versi == SCHEMA_VERSION.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "skema awal: penggabungan, perangkat_daerah, indikator, anggaran, pemeriksaan, berkas", tuple(_V1)),
)

assert MIGRATIONS[-1].versi == SCHEMA_VERSION
