using System.Text.Json;
using PolicyMatch.Web.Features.Plans;

namespace PolicyMatch.Web.Features.Catalog;

public sealed class SeedOptions
{
    /// <summary>The seeds folder; by default the copy next to the binaries (see the web project file).</summary>
    public string Directory { get; set; } = Path.Combine(AppContext.BaseDirectory, "seeds");
}

/// <summary>The seed files as read from disk, before validation.</summary>
public sealed record SeedSet(
    IReadOnlyList<(PlanDocument Plan, string Body, IReadOnlyList<Clause> Clauses)> Plans,
    IReadOnlyList<(MeasureDocument Measure, string Plan, string Path)> Measures,
    IReadOnlyList<NoticeDocument> Notices);

/// <summary>
/// Loads seeds/ into the database idempotently (upsert by natural key; unchanged rows are left alone).
/// Invalid seed files stop the start with every problem listed: a broken catalog must not go live.
/// </summary>
public sealed class Seeder(CatalogImporter importer, Microsoft.Extensions.Options.IOptions<SeedOptions> options, ILogger<Seeder> logger)
{
    public const string Author = CatalogRepository.SeedAuthor;

    public static SeedSet Read(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new InvalidOperationException($"The seeds folder '{directory}' does not exist.");
        }
        var plans = new List<(PlanDocument, string, IReadOnlyList<Clause>)>();
        foreach (var metaPath in System.IO.Directory.GetFiles(Path.Combine(directory, "plans"), "*.json").Order(StringComparer.Ordinal))
        {
            var plan = Deserialize<PlanDocument>(metaPath);
            var textPath = Path.Combine(directory, "plans", plan.Document);
            if (!File.Exists(textPath))
            {
                throw new InvalidOperationException($"{metaPath}: the plan text '{plan.Document}' is missing.");
            }
            var body = File.ReadAllText(textPath).Replace("\r\n", "\n");
            plans.Add((plan, body, ClauseParser.Parse(body)));
        }
        var measures = new List<(MeasureDocument, string, string)>();
        var measuresDir = Path.Combine(directory, "measures");
        if (System.IO.Directory.Exists(measuresDir))
        {
            foreach (var path in System.IO.Directory.GetFiles(measuresDir, "*.json").Order(StringComparer.Ordinal))
            {
                var file = Deserialize<MeasureFile>(path);
                for (var i = 0; i < file.Measures.Count; i++)
                {
                    measures.Add((file.Measures[i] with { Plan = file.Plan }, file.Plan, $"{Path.GetFileName(path)}: $.measures[{i}]"));
                }
            }
        }
        var noticesPath = Path.Combine(directory, "notices.json");
        var notices = File.Exists(noticesPath) ? Deserialize<List<NoticeDocument>>(noticesPath) : [];
        return new SeedSet(plans, measures, notices);
    }

    public static List<CatalogProblem> Validate(SeedSet seeds)
    {
        var clauses = new Dictionary<string, IReadOnlyList<Clause>>();
        foreach (var (plan, _, planClauses) in seeds.Plans)
        {
            clauses[plan.Id] = planClauses;
            clauses[plan.Document] = planClauses;
        }
        var problems = CatalogValidator.ValidateMeasures(seeds.Measures.Select(m => (m.Measure, (string?)m.Plan, m.Path)), key => clauses.GetValueOrDefault(key));
        problems.AddRange(CatalogValidator.ValidateNotices(seeds.Notices, "notices.json: $", seeds.Measures.Select(m => m.Measure.Id).ToHashSet()));
        return problems;
    }

    public async Task SeedAsync(CancellationToken ct = default)
    {
        var seeds = Read(options.Value.Directory);
        var problems = Validate(seeds);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The seed catalog is invalid:\n" + string.Join("\n", problems));
        }
        var planIds = seeds.Plans.ToDictionary(p => p.Plan.Document, p => p.Plan.Id);
        var result = await importer.WriteAsync(
            seeds.Plans,
            seeds.Measures.Select(m => (m.Measure, planIds.GetValueOrDefault(m.Plan, m.Plan))).ToList(),
            seeds.Notices,
            Author,
            ct);
        logger.LogInformation(
            "Seeded {Plans} plans and {Measures} measures ({Created} new, {Versions} new versions, {Unchanged} unchanged), {Notices} notices",
            seeds.Plans.Count, seeds.Measures.Count, result.Created, result.NewVersions, result.Unchanged, seeds.Notices.Count);
    }

    private static T Deserialize<T>(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, CatalogJson.Options)
                ?? throw new InvalidOperationException($"{path}: the file is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{path}: {e.Path}: {e.Message}", e);
        }
    }
}
