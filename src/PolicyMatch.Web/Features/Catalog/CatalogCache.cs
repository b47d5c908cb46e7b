using PolicyMatch.Rules;

namespace PolicyMatch.Web.Features.Catalog;

/// <summary>A published measure with its rules compiled once.</summary>
public sealed record PublishedMeasure(MeasureVersionRow Row, CompiledMeasure Rules)
{
    /// <summary>
    /// Criteria that only ask where the company is. Failing one of them is not a "near miss" a
    /// company can act on (it will not move district for a measure), so the matches page files
    /// such a measure under not eligible.
    /// </summary>
    public IReadOnlySet<string> LocationCriteria { get; } = Rules.Criteria
        .Where(c => RuleFacts.VarsOf(c.Rule) is { Count: > 0 } vars && vars.All(RuleFacts.LocationFacts.Contains))
        .Select(c => c.Id)
        .ToHashSet();
}

/// <summary>Which facts a rule reads: every <c>var</c> name in it (first path segment).</summary>
public static class RuleFacts
{
    public static readonly IReadOnlySet<string> LocationFacts = new HashSet<string> { "district", "zones", "in_beijing" };

    public static IReadOnlySet<string> VarsOf(System.Text.Json.Nodes.JsonNode? rule)
    {
        var vars = new HashSet<string>();
        Walk(rule, vars);
        return vars;
    }

    private static void Walk(System.Text.Json.Nodes.JsonNode? node, HashSet<string> vars)
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "var")
                    {
                        var name = value switch
                        {
                            System.Text.Json.Nodes.JsonArray { Count: > 0 } a => a[0]?.ToString(),
                            System.Text.Json.Nodes.JsonValue v => v.ToString(),
                            _ => null,
                        };
                        if (!string.IsNullOrEmpty(name)) vars.Add(name.Split('.')[0]);
                    }
                    Walk(value, vars);
                }
                break;
            case System.Text.Json.Nodes.JsonArray array:
                foreach (var item in array) Walk(item, vars);
                break;
        }
    }
}

/// <summary>
/// The published catalog held in memory, compiled, for matching. Anything that changes the catalog
/// (seeder, import, publishing) calls <see cref="Invalidate"/>; the next request reloads it.
/// </summary>
public sealed class CatalogCache(CatalogRepository repository, EligibilityEngine engine)
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile IReadOnlyList<PublishedMeasure>? _published;

    public void Invalidate() => _published = null;

    public async Task<IReadOnlyList<PublishedMeasure>> GetPublishedAsync(CancellationToken ct = default)
    {
        if (_published is { } ready)
        {
            return ready;
        }
        await _loading.WaitAsync(ct);
        try
        {
            if (_published is { } loaded)
            {
                return loaded;
            }
            var rows = await repository.GetPublishedMeasuresAsync(ct);
            var list = rows.Select(r => new PublishedMeasure(r, engine.Compile(r.RuleSet()))).ToList();
            _published = list;
            return list;
        }
        finally
        {
            _loading.Release();
        }
    }
}
