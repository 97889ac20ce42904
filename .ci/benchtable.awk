# Turns `go test -bench` output into the table make bench prints:
# figure, value, baseline, ratio, goal.
/^Benchmark/ {
  name = $1; sub(/-[0-9]+$/, "", name)
  for (i = 3; i < NF; i++) v[name, $(i+1)] = $i
}
/^(cold-start-ms|rss-start-mb|rss-records-mb) / { gui[$1] = $2 }
function ratio(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f×", a / b) : "-" }
function row(figure, value, base, r, goal) { printf "| %-48s | %14s | %14s | %7s | %-22s |\n", figure, value, base, r, goal }
END {
  print ""
  row("figure", "value", "baseline", "ratio", "goal")
  print "|--------------------------------------------------|----------------|----------------|---------|------------------------|"
  s = v["BenchmarkSave10Items", "µs/save"]; r = v["BenchmarkRawSave10Items", "µs/save"]
  row("save 1 interdiction, 10 items (µs)", s, r, ratio(s, r), "≤ 1.5× raw")
  a = v["BenchmarkRecordAdd100kItems", "items/s"]; ra = v["BenchmarkRawBulk100kItems", "items/s"]
  row("record add 10,000 × 10 items (items/s)", sprintf("%.0f", a), sprintf("%.0f", ra), ratio(ra, a), "≥ 50,000/s, ≤ 2× raw")
  e = v["BenchmarkExport100kItems", "items/s"]
  row("export 100,000 items (items/s)", sprintf("%.0f", e), "", "", "≥ 50,000/s")
  i = v["BenchmarkImport100kItems", "items/s"]
  row("import + verify 100,000 items (items/s)", sprintf("%.0f", i), sprintf("%.0f", ra), ratio(ra, i), "≤ 2× raw")
  m = v["BenchmarkImport1GBPeakRSS", "peak-MB"]
  row(sprintf("import of a %s GB bundle: peak memory (MB)", v["BenchmarkImport1GBPeakRSS", "GB"]), m, "", "", "≤ 300 MB")
  split("serial-exact serial-partial person-name person-name-explained", kinds, " ")
  for (k = 1; k <= 4; k++) {
    n = "BenchmarkSearch1M/" kinds[k]
    row("search 1M items, " kinds[k] " p50 (ms)", v[n, "p50-ms"], "", "", "")
    row("search 1M items, " kinds[k] " p95 (ms)", v[n, "p95-ms"], "", "", "p95 ≤ 20 ms")
  }
  row("identifier index made again, 1M items (idents/s)", sprintf("%.0f", v["BenchmarkBackfillIdents1M", "idents/s"]), "", "", "≥ 50,000/s")
  row("upgrade from schema 8, 1M items (s)", sprintf("%.1f", v["BenchmarkBackfillIdents1M", "upgrade-s"]), "", "", "")
  row("links of one record, 1M items, p50 (ms)", v["BenchmarkLinksOfRecord1M", "p50-ms"], "", "", "")
  row("links of one record, 1M items, p95 (ms)", v["BenchmarkLinksOfRecord1M", "p95-ms"], "", "", "p95 ≤ 5 ms")
  c = "BenchmarkAllClusters1M"
  row(sprintf("all clusters, 1M items, %.0f clusters (ms)", v[c, "clusters"]), sprintf("%.0f", v[c, "ms"]), "", "", "≤ 3 s")
  row("all clusters, kordon links --json --training (ms)", sprintf("%.0f", v[c, "cli-ms"]), "", "", "≤ 3 s")
  l = "BenchmarkImportLinkSummary"
  row(sprintf("import 100k items + link summary, %.0f hits (ms)", v[l, "hits"]), sprintf("%.0f", v[l, "import-ms"]), sprintf("%.0f", v[l, "nosummary-ms"]),
    ratio(v[l, "import-ms"], v[l, "nosummary-ms"]), "summary ≤ 20%")
  row("network of 200 nodes laid out and drawn (ms)", sprintf("%.0f", v["BenchmarkNetwork200", "ms"]), "", "", "≤ 300 ms")
  row("UN list of 2020-03-20: parsed (ms)", sprintf("%.0f", v["BenchmarkParseUNList", "ms"]), "", "", "≤ 1 s")
  row("screening one name against it, p95 (ms)", v["BenchmarkScreen", "p95-ms"], "", "", "p95 ≤ 2 ms")
  row("screening every person of 100,000 records (s)", sprintf("%.1f", v["BenchmarkScreenAll100k", "s"]), "", "", "≤ 30 s")
  row("form: warning after the last key, p95 (ms)", sprintf("%.1f", 30 + v["BenchmarkFormScreening", "p95-ms"]), "", "", "≤ 50 ms")
  f = "BenchmarkProtocol20Items6Photos/first"; a = "BenchmarkProtocol20Items6Photos/again"
  row("protocol, 20 items + 6 photos, as printed (ms)", sprintf("%.0f", v["BenchmarkProtocol20Items6PhotosPrepared", "ns/op"] / 1e6), "", "", "≤ 150 ms")
  row("protocol, same, photos never prepared (ms)", sprintf("%.0f", v[f, "ns/op"] / 1e6), "", "", "")
  row("protocol, 20 items + 6 photos, reprint (ms)", sprintf("%.0f", v[a, "ns/op"] / 1e6), "", "", "≤ 150 ms")
  row("protocol, 20 items + 6 photos, size (MB)", sprintf("%.2f", v[f, "B/pdf"] / 1e6), "", "", "≤ 3 MB")
  row("protocol, 200 items (ms)", sprintf("%.0f", v["BenchmarkProtocol200Items", "ns/op"] / 1e6), "", "", "≤ 1 s")
  row("tracing request, 4 photos (ms)", sprintf("%.0f", v["BenchmarkTraceRequest4Photos", "ns/op"] / 1e6), "", "", "≤ 150 ms")
  t = "BenchmarkTraceList1M"
  row(sprintf("tracing work list, %.0f items, %.0f traces, p50 (ms)", v[t, "items"], v[t, "traces"]), v[t, "p50-ms"], "", "", "")
  row("tracing work list, first page + counts, p95 (ms)", v[t, "p95-ms"], "", "", "≤ 200 ms")
  row("tracing work list, overdue only, p95 (ms)", v[t, "overdue-p95-ms"], "", "", "≤ 200 ms")
  row("tracing work list, not attempted only, p95 (ms)", v[t, "none-p95-ms"], "", "", "≤ 200 ms")
  row("tracing work list, one status only, p95 (ms)", v[t, "status-p95-ms"], "", "", "≤ 200 ms")
  row("desktop: cold start to main window (ms)", gui["cold-start-ms"], "", "", "≤ 1.5 s")
  row("desktop: memory with the records list (MB)", gui["rss-records-mb"], "", "", "≤ 200 MB")
  print ""
}
