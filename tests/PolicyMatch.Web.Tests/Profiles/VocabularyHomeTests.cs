using System.Globalization;
using System.Text.RegularExpressions;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Authoring;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Incubators;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Profiles;

/// <summary>
/// The facts' vocabulary has one home, <see cref="Facts"/> (issue 13 item 2): these tests read the portal's source
/// and fail when a second district list or fact-label table appears, and check that every fact the rules, the
/// catalog, the builder and the forms use is labelled in both languages.
/// </summary>
public partial class VocabularyHomeTests
{
    private const string Home = "src/PolicyMatch.Rules/Facts.cs";

    /// <summary>Every .cs, .cshtml and .razor file of the portal and the rules library, with its text, except the home.</summary>
    private static IEnumerable<(string Path, string Text)> SourcesOutsideTheHome() =>
        Directory.EnumerateFiles(Path.Combine(Repo.Root, "src"), "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".cs", StringComparison.Ordinal) || p.EndsWith(".cshtml", StringComparison.Ordinal) || p.EndsWith(".razor", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(Repo.Root, p).Replace('\\', '/'))
            .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal) && p != Home)
            .Select(p => (p, File.ReadAllText(Path.Combine(Repo.Root, p))));

    /// <summary>The contents of the file's string literals (C# and Razor alike write them in double quotes).</summary>
    private static List<string> Literals(string text) => [.. StringLiteral().Matches(text).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("\"((?:[^\"\\\\\\n]|\\\\.)*)\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    /// <summary>A list names several places: three districts (or three zones) in one file's literals make one.</summary>
    private static IReadOnlyList<string> Named(IEnumerable<string> names, List<string> literals) =>
        [.. names.Where(n => literals.Any(l => l.Contains(n, StringComparison.Ordinal)))];

    [Fact]
    public void No_list_of_districts_or_zones_is_kept_outside_the_vocabulary()
    {
        var found = new List<string>();
        foreach (var (path, text) in SourcesOutsideTheHome())
        {
            var literals = Literals(text);
            if (Named(Facts.BeijingDistricts, literals) is { Count: >= 3 } districts)
            {
                found.Add($"{path}: districts {string.Join("、", districts)}");
            }
            if (Named(Facts.ZoneList.Select(z => z.Name), literals) is { Count: >= 3 } zones)
            {
                found.Add($"{path}: zones {string.Join("、", zones)}");
            }
        }
        Assert.True(found.Count == 0, "read these from Facts instead:\n" + string.Join("\n", found));
    }

    /// <summary>Every key a label is looked up by: the facts and the certificate's parts.</summary>
    private static readonly IReadOnlySet<string> LabelKeys = Facts.All.Select(f => f.Name)
        .Concat(Facts.CertificateParts.Select(p => $"{Facts.HightechCertificate}.{p.Value}"))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Every wording the vocabulary gives a fact, in either language.</summary>
    private static readonly IReadOnlySet<string> LabelTexts = Facts.All
        .SelectMany(f => new[] { f.LabelZh, f.LabelEn, f.FormLabelZh, f.FormLabelEn })
        .Concat(Facts.CertificateParts.SelectMany(p => new[] { p.Zh, p.En }))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The lines of a label table: a fact's name next to one of its labels — ["district"] = ("所在区", …),
    /// new("district", "所在区", …), ("Unicorn", "unicorn", "独角兽企业", …).
    /// </summary>
    private static List<int> LabelRows(string text) =>
        [.. text.Split('\n')
            .Select((line, i) => (Line: i + 1, Literals: Literals(line)))
            .Where(l => l.Literals.Any(LabelKeys.Contains) && l.Literals.Any(x => !LabelKeys.Contains(x) && LabelTexts.Contains(x)))
            .Select(l => l.Line)];

    [Fact]
    public void No_table_of_fact_labels_is_kept_outside_the_vocabulary()
    {
        // Three rows make a table; a single line naming one fact with its label (a criterion's own wording) does not.
        var found = SourcesOutsideTheHome()
            .Select(s => (s.Path, Rows: LabelRows(s.Text)))
            .Where(s => s.Rows.Count >= 3)
            .Select(s => $"{s.Path}: lines {string.Join(", ", s.Rows)}")
            .ToList();
        Assert.True(found.Count == 0, "label facts in Facts and read them with FactLabels:\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_scan_finds_the_tables_it_was_written_against()
    {
        // The two tables this vocabulary replaced, as they were written: the scans above must catch them.
        var labels = """
            ["name"] = ("企业名称", "Company name"),
            ["district"] = ("所在区", "District"),
            ["zones"] = ("所在园区/功能区", "Zones and parks"),
            errors["district"] = T("请选择所在区", "Choose the district");
            """;
        Assert.Equal([1, 2, 3], LabelRows(labels));
        var districts = """("110101", "东城区", "Dongcheng"), ("110102", "西城区", "Xicheng"), ("110105", "朝阳区", "Chaoyang"),""";
        Assert.Equal(3, Named(Facts.BeijingDistricts, Literals(districts)).Count);
    }

    public static TheoryData<string> Cultures => new() { "zh-CN", "en" };

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Every_fact_the_rules_the_catalog_and_the_forms_use_is_labelled_in_both_languages(string culture)
    {
        var saved = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var used = new SortedSet<string>(StringComparer.Ordinal);
            // The facts the seeded catalog's criteria read …
            foreach (var (measure, _, _) in Seeder.Read(Repo.Seeds).Measures)
            {
                foreach (var criterion in measure.Criteria ?? [])
                {
                    used.UnionWith(RuleFacts.VarsOf(criterion.Rule));
                }
            }
            // … every fact of the rules library and the builder, the form's keys and the CSV's columns.
            used.UnionWith(Facts.All.Select(f => f.Name));
            used.UnionWith(CriteriaBuilder.Facts.Select(f => f.Name));
            used.UnionWith(ProfileValidator.PublicFacts);
            used.UnionWith(Facts.CertificateParts.Select(p => $"{Facts.HightechCertificate}.{p.Value}"));
            used.UnionWith(TenantColumns.All.SelectMany(c => c.ErrorKeys));

            foreach (var fact in used)
            {
                Assert.True(Facts.LabelOf(fact) is { } l && Chinese().IsMatch(l.Zh) && l.En.Length > 0 && !Chinese().IsMatch(l.En[..1]),
                    $"{fact} has no Chinese and English label in Facts");
                Assert.NotEqual(fact, FactLabels.Of(fact));
            }
            Assert.Equal(culture == "en" ? "District" : "所在区", FactLabels.Of(Facts.District));
        }
        finally
        {
            CultureInfo.CurrentUICulture = saved;
        }
    }

    [Fact]
    public void The_closed_lists_are_the_values_each_fact_allows()
    {
        Assert.Equal(Facts.Districts.Select(d => d.Name), Facts.Find(Facts.District)!.AllowedValues);
        Assert.Equal(Facts.ZoneList.Select(z => z.Name), Facts.Find(Facts.Zones)!.AllowedValues);
        Assert.Equal(Facts.FocusAreaList, Facts.Find(Facts.FocusAreas)!.AllowedValues);
        Assert.Equal(16, Facts.BeijingDistricts.Count);
        Assert.Equal(["天津市", "河北省"], Facts.OtherRegions);
        Assert.Equal(["district", "in_beijing", "zones"], Facts.LocationFacts.Order(StringComparer.Ordinal));
        // Every zone lies somewhere a profile can state.
        Assert.All(Facts.ZoneList, z => Assert.Contains(z.District ?? z.OutsideBeijingIn, Facts.Find(Facts.District)!.AllowedValues));
        Assert.Equal(["110114", "120000"], new[] { "昌平区", "天津市" }.Select(n => Facts.Districts.Single(d => d.Name == n).Code));
        Assert.Equal("昌平区", Facts.NormaliseDistrict(" 110114 "));
        Assert.Null(Facts.NormaliseDistrict("昌平"));
    }
}
