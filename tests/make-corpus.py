#!/usr/bin/env python3
"""make-corpus.py DIR FEEDS ITEMS [SEED [NAME]] - writes FEEDS RSS files of
ITEMS invented news items each (NAME-00.rss, ..., channels "Name 00", ...;
"warta" unless told) (and one plain-text article per feed) into DIR,
with links under @BASE@ (a test puts its loopback server's address there),
the same bytes for the same arguments.  The items name people, places and
organisations from small lists, so that kabar extracts entities and links
events; every title and body is different.  For the crash, concurrency
and full-disk tests (tests/crash.sh, tests/concurrent.sh,
tests/odd-caches.sh)."""
import os
import random
import sys
from xml.sax.saxutils import escape

PEOPLE = ["Joko Widodo", "Sri Mulyani", "Retno Marsudi", "Prabowo Subianto",
          "Anies Baswedan", "Ganjar Pranowo", "Kim Jong Un", "Sergei Lavrov",
          "Anthony Albanese", "Fumio Kishida", "Ferdinand Marcos", "Anwar Ibrahim",
          "Hun Manet", "Lee Hsien Loong", "Ma Ying-jeou", "Susi Pudjiastuti"]
PLACES = ["Jakarta", "Surabaya", "Makassar", "Belitung", "Medan", "Ambon",
          "Kupang", "Jayapura", "Manila", "Tokyo", "Canberra", "Kuala Lumpur",
          "Phnom Penh", "Singapura", "Denpasar", "Pontianak"]
ORGS = ["Badan SAR Nasional", "Kementerian Luar Negeri", "Bank Indonesia",
        "Pertamina", "ASEAN", "Dewan Perwakilan Rakyat", "Komisi Pemberantasan Korupsi",
        "Badan Meteorologi", "Pelni", "Garuda Indonesia"]
VERBS = ["meninjau", "membuka", "menutup", "membahas", "mengunjungi", "memeriksa",
         "meresmikan", "menyetujui", "menolak", "mengumumkan"]
THINGS = ["pelabuhan baru", "jalur feri", "anggaran daerah", "kerja sama maritim",
          "harga beras", "jembatan", "bandara", "program beasiswa", "pasar ikan",
          "pembangkit listrik", "proyek jalan tol", "kawasan industri"]
WORDS = ("warga pejabat rapat kota desa pantai kapal laut hujan banjir sekolah "
         "pasar harga jalan listrik air rumah sakit dokter petani nelayan ikan "
         "padi kopi teh gula minyak angin ombak pulau gunung hutan sungai").split()


FIRST = ["Budi", "Siti", "Agus", "Dewi", "Rudi", "Rina", "Hendra", "Wati", "Yusuf",
         "Lestari", "Bambang", "Ayu", "Teguh", "Nur", "Fajar", "Intan", "Gilang",
         "Maya", "Rizal", "Citra"]
LAST = ["Santoso", "Hartono", "Wibowo", "Siregar", "Nasution", "Simanjuntak",
        "Lubis", "Harahap", "Pangaribuan", "Sitompul", "Tambunan", "Manurung",
        "Saragih", "Purba", "Ginting", "Tarigan", "Sembiring", "Sinaga", "Hutapea",
        "Panjaitan"]


def story_person(story):
    """A rarely named person: each story (three items) has its own."""
    return "%s %s" % (FIRST[story % len(FIRST)], LAST[(story // len(FIRST)) % len(LAST)])


def sentence(rng):
    p, q = rng.sample(PEOPLE, 2)
    return "%s %s %s di %s bersama %s dari %s, %s." % (
        p, rng.choice(VERBS), rng.choice(THINGS), rng.choice(PLACES), q,
        rng.choice(ORGS), " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))))


def main():
    out, feeds, items = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 7)
    stem = sys.argv[5] if len(sys.argv) > 5 else "warta"
    os.makedirs(out, exist_ok=True)
    n = 0
    for f in range(feeds):
        name = "%s %02d" % (stem.capitalize(), f)
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                 '<title>%s</title><link>@BASE@/%s-%02d/</link>\n' % (name, stem, f)]
        for i in range(items):
            n += 1
            story = (n - 1) // 3
            day = 1 + (story * 7) % 28
            month = 1 + (story // 28) % 12
            title = "%s: %s %s (%d)" % (rng.choice(PLACES), rng.choice(VERBS),
                                        rng.choice(THINGS), n)
            body = "%s, kata %s kepada wartawan di %s. " % (
                sentence(rng), story_person(story), PLACES[story % len(PLACES)])
            # long enough not to be a teaser: `kabar update` fetches no page
            body += " ".join(sentence(rng) for _ in range(rng.randint(5, 8)))
            parts.append(
                "<item><title>%s</title><guid>%s-%02d-%05d</guid>"
                "<link>@BASE@/%s-%02d/%05d.html</link>"
                "<pubDate>%s, %02d %s 2024 %02d:%02d:00 +0700</pubDate>"
                "<description>%s</description></item>\n" % (
                    escape(title), stem, f, i, stem, f, i, "Mon", day,
                    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                     "Oct", "Nov", "Dec"][month - 1], n % 24, n % 60, escape(body)))
        parts.append("</channel></rss>\n")
        with open(os.path.join(out, "%s-%02d.rss" % (stem, f)), "w", encoding="utf-8") as fh:
            fh.write("".join(parts))
        with open(os.path.join(out, "catatan-%02d.txt" % f), "w", encoding="utf-8") as fh:
            fh.write("Catatan redaksi %d dari %s\n\n%s\n" % (
                f, rng.choice(PLACES), " ".join(sentence(rng) for _ in range(8))))


main()
