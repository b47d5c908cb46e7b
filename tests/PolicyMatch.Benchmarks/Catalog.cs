using System.Text.Json.Nodes;
using PolicyMatch.Rules;

namespace PolicyMatch.Benchmarks;

/// <summary>Loads the seeded catalog (seeds/measures/*.json, format in seeds/README.md) for the benchmarks.</summary>
public static class Catalog
{
    /// <summary>Walks up from the current directory (then from the binaries) to the first folder holding seeds/.</summary>
    public static string? FindSeeds()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var seeds = Path.Combine(dir.FullName, "seeds");
                if (Directory.Exists(Path.Combine(seeds, "measures")))
                {
                    return seeds;
                }
            }
        }

        return null;
    }

    /// <summary>This project's folder (found from the binaries), for BenchmarkDotNet's artifacts.</summary>
    public static string ProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PolicyMatch.Benchmarks.csproj")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>Every measure with criteria in seeds/measures; an empty list (and a message) when there are none.</summary>
    public static List<MeasureRuleSet> LoadSeeded(TextWriter? log = null)
    {
        var seeds = FindSeeds();
        var files = seeds is null ? [] : Directory.GetFiles(Path.Combine(seeds, "measures"), "*.json").Order().ToArray();
        if (files.Length == 0)
        {
            log?.WriteLine(seeds is null
                ? "No seeds/measures folder found above the current directory: the seeded-catalog benchmark runs on an empty catalog."
                : $"No measure files in {Path.Combine(seeds, "measures")}: the seeded-catalog benchmark runs on an empty catalog.");
            return [];
        }

        var result = new List<MeasureRuleSet>();
        foreach (var file in files)
        {
            var doc = JsonNode.Parse(File.ReadAllText(file));
            foreach (var m in doc?["measures"]?.AsArray() ?? [])
            {
                if (m is null)
                {
                    continue;
                }

                var criteria = new List<Criterion>();
                foreach (var c in m["criteria"]?.AsArray() ?? [])
                {
                    criteria.Add(new Criterion(
                        (string?)c?["id"] ?? $"criterion-{criteria.Count}",
                        (string?)c?["label_zh"] ?? "",
                        (string?)c?["label_en"] ?? "",
                        c?["rule"]?.DeepClone() ?? JsonValue.Create(true)));
                }

                result.Add(new MeasureRuleSet((string?)m["id"] ?? Path.GetFileName(file), (int?)m["version"] ?? 1, criteria));
            }
        }

        log?.WriteLine($"Loaded {result.Count} measures ({result.Sum(m => m.Criteria.Count)} criteria) from {files.Length} files in {seeds}.");
        return result;
    }

    /// <summary>A typical applicant: a high-tech SME in Changping.</summary>
    public static JsonObject DemoProfile() => (JsonObject)JsonNode.Parse("""
        {
          "name": "北京示例生物科技有限公司", "uscc": "91110114MA01ABCD3X", "district": "昌平区",
          "zones": ["生命科学园"], "industry_code": "2720", "focus_areas": ["医药健康", "人工智能"],
          "established_on": "2018-04-12", "employees": 86, "revenue_last_year": 45000000,
          "rd_expense_last_year": 5200000,
          "hightech_certificate": { "number": "GR202311001234", "issued_on": "2023-10-26" },
          "tech_sme_year": 2025, "srdi_level": "specialized_sme", "unicorn": false, "gazelle": true,
          "listing_status": "intends", "invention_patents": 7, "postdoc_workstation": false,
          "university_joint_lab": true, "incubator_tenant": false, "university_spinoff": true
        }
        """)!;
}
