using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Tests.Infrastructure;

/// <summary>
/// Statuses, kinds and audit actions are types (issue 13 item 3): each stored text lives in its type and
/// nowhere else in src/, so renaming or adding one is one edit the compiler follows.
/// </summary>
public class StoredStateTests
{
    /// <summary>Every state type of the portal with its values, found the way DapperSetup finds them.</summary>
    private static readonly IReadOnlyList<(Type Type, IReadOnlyList<string> Values)> States =
        typeof(DapperSetup).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(StoredState<>))
            .Select(t => (t, (IReadOnlyList<string>)((System.Collections.IEnumerable)t.GetProperty("All", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!)
                .Cast<object>().Select(v => v.ToString()!).ToList()))
            .ToList();

    /// <summary>
    /// Texts that other vocabularies also use in SQL: 'pending' is the status of join, link and verification
    /// requests too, which are not state types yet, so a SQL 'pending' cannot be told apart by its text.
    /// </summary>
    private static readonly HashSet<string> SharedInSql = ["pending"];

    /// <summary>
    /// The same text in another vocabulary: a verification request is also 'pending' (requests of all three
    /// kinds — join, link, verification — have statuses that are not state types yet).
    /// </summary>
    private static readonly HashSet<(string File, string Value)> OtherVocabularies = [("CompanyVerification.cshtml", "pending")];

    [Fact]
    public void The_portal_has_the_state_types_the_issue_names()
    {
        Assert.Superset(
            new HashSet<string> { "MeasureStatus", "NoticeKind", "NoticeStatus", "DeliveryStatus", "AuditAction" },
            States.Select(s => s.Type.Name).ToHashSet());
    }

    [Fact]
    public void Every_value_is_stored_once_and_has_a_chinese_and_an_english_label()
    {
        foreach (var (type, values) in States)
        {
            Assert.Equal(values.Count, values.Distinct().Count());
            foreach (var value in (System.Collections.IEnumerable)type.GetProperty("All")!.GetValue(null)!)
            {
                var chinese = (string)type.GetProperty("Chinese")!.GetValue(value)!;
                var english = (string)type.GetProperty("English")!.GetValue(value)!;
                Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", chinese);
                Assert.Matches("^[A-Z]", english);
            }
        }
    }

    [Fact]
    public void An_unknown_stored_text_is_a_data_error_and_its_label_is_the_text_itself()
    {
        Assert.Same(MeasureStatus.Retired, MeasureStatus.Parse("retired"));
        var e = Assert.Throws<FormatException>(() => MeasureStatus.Parse("archived"));
        Assert.Contains("'archived' is not a MeasureStatus (draft, published, retired)", e.Message);
        Assert.Null(MeasureStatus.Find(null));
        Assert.Equal("archived", MeasureStatus.LabelOf("archived"));
    }

    [Fact]
    public async Task A_state_is_written_and_read_as_its_text()
    {
        DapperSetup.Configure();
        var file = Path.Combine(Path.GetTempPath(), $"states-{Guid.NewGuid():N}.db");
        try
        {
            await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False");
            await db.OpenAsync();
            await db.ExecuteAsync("CREATE TABLE t (status TEXT NOT NULL)");
            await db.ExecuteAsync("INSERT INTO t (status) VALUES (@Status)", new { Status = MeasureStatus.Retired });
            Assert.Equal("retired", await db.ExecuteScalarAsync<string>("SELECT status FROM t"));
            Assert.Same(MeasureStatus.Retired, (await db.QueryAsync<Row>("SELECT status FROM t")).Single().Status);
            Assert.Same(MeasureStatus.Retired, await db.ExecuteScalarAsync<MeasureStatus>("SELECT status FROM t WHERE status = @Retired", new { MeasureStatus.Retired }));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed record Row
    {
        public MeasureStatus Status { get; init; } = MeasureStatus.Draft;
    }

    [Fact]
    public void No_state_text_is_spelled_outside_its_type()
    {
        var src = Path.Combine(Repo.Root, "src");
        var files = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs") || f.EndsWith(".cshtml") || f.EndsWith(".razor"))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.NotEmpty(files);
        var found = new List<string>();
        foreach (var (type, values) in States)
        {
            // A state type's own file is the home of its texts ('sent' is both a notice's and a delivery's status).
            foreach (var file in files.Where(f => !States.Any(s => Path.GetFileName(f) == s.Type.Name + ".cs")))
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    foreach (var value in values.Where(v => !OtherVocabularies.Contains((Path.GetFileName(file), v))))
                    {
                        if (SpellsInCode(lines[i], value) || (file.EndsWith(".cs") && SpellsInSql(lines[i], value)))
                        {
                            found.Add($"{Path.GetRelativePath(src, file)}:{i + 1}: {type.Name} '{value}': {lines[i].Trim()}");
                        }
                    }
                }
            }
        }
        Assert.True(found.Count == 0, "state texts outside their type:\n" + string.Join("\n", found));
    }

    /// <summary>The scan itself: it sees code and SQL, and passes over markup, comments, routes and JSON keys.</summary>
    [Theory]
    [InlineData("if (m.Status == \"retired\")", true)]
    [InlineData("@(status switch { \"draft\" => T(\"草稿\", \"Draft\") })", true)]
    [InlineData("Status = \"published\",", true)]
    [InlineData("<section class=\"group\" id=\"published\">", false)]
    [InlineData("/// Group commit of \"published\" marks", false)]
    [InlineData("[Route(\"published\")]", false)]
    [InlineData("[\"published\"] = user?.DeepClone(),", false)]
    public void The_scan_tells_code_from_markup(string line, bool spelled)
    {
        Assert.Equal(spelled, SpellsInCode(line, "published") || SpellsInCode(line, "draft") || SpellsInCode(line, "retired"));
    }

    [Theory]
    [InlineData("WHERE m.status = 'published'", true)]
    [InlineData("status = CASE WHEN @Publish THEN 'published' ELSE status END,", true)]
    [InlineData("WHERE m.status = @Published", false)]
    [InlineData("-- 'published' rows only", false)]
    [InlineData("/// kind 'published' is historical", false)]
    public void The_scan_finds_sql_texts(string line, bool spelled)
    {
        Assert.Equal(spelled, SpellsInSql(line, "published"));
    }

    private static bool IsComment(string line) =>
        line.TrimStart() is var t && (t.StartsWith("//") || t.StartsWith("@*") || t.StartsWith("*") || t.StartsWith("--"));

    private static bool SpellsInCode(string line, string value)
    {
        if (IsComment(line) || Regex.IsMatch(line, @"^\s*\[(Route|Http\w+)\("))
        {
            return false;
        }
        // A quoted text after a markup attribute name (class="sent") or as an indexer key (["account"]) is not the state.
        return Regex.IsMatch(line, $"(?<![\\w-]=|\\[)\"{Regex.Escape(value)}\"");
    }

    private static bool SpellsInSql(string line, string value) =>
        !IsComment(line) && !SharedInSql.Contains(value)
        && Regex.IsMatch(line, $"'{Regex.Escape(value)}'");
}
