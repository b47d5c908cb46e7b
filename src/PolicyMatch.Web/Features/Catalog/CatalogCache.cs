using Microsoft.Extensions.Options;
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
        .Where(c => RuleFacts.VarsOf(c.Rule) is { Count: > 0 } vars && vars.All(Facts.LocationFacts.Contains))
        .Select(c => c.Id)
        .ToHashSet();
}

/// <summary>Which facts a rule reads: every <c>var</c> name in it (first path segment).</summary>
public static class RuleFacts
{
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
/// The published catalog held in memory, compiled, for matching. It holds only the measures whose
/// beneficiary a company can receive (<see cref="MeasureVersionRow.IsMatched"/>): a measure for a
/// university or a government body is not compiled, so nothing that matches through this cache
/// (the matches page, the API, stored matches, notice recipients) can call it eligible. Such measures
/// stay readable through <see cref="CatalogRepository"/> (plan reader, search, measure page). A change on this node (seeder,
/// import, publishing) calls <see cref="Invalidate"/>; a change on another node is seen through the
/// catalog version in the database (catalog_state), read at most once per
/// <see cref="CatalogOptions.RefreshInterval"/>, so several web nodes agree within that interval.
/// </summary>
public sealed class CatalogCache(CatalogRepository repository, EligibilityEngine engine, IOptions<CatalogOptions> options)
{
    private sealed record Loaded(IReadOnlyList<PublishedMeasure> Measures, long Version);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Loaded? _loaded;
    private long _checkedAt;
    private int _checking;

    public void Invalidate() => _loaded = null;

    public async Task<IReadOnlyList<PublishedMeasure>> GetPublishedAsync(CancellationToken ct = default)
    {
        var ready = _loaded;
        if (ready is not null && !await ChangedElsewhereAsync(ready, ct))
        {
            return ready.Measures;
        }
        await _loading.WaitAsync(ct);
        try
        {
            if (_loaded is { } loaded && loaded != ready)
            {
                return loaded.Measures;
            }
            // The version is read before the rows: a change committed in between is seen at the next check.
            var version = await repository.GetCatalogVersionAsync(ct);
            var rows = await repository.GetPublishedMeasuresAsync(ct);
            var list = rows.Where(r => r.IsMatched).Select(r => new PublishedMeasure(r, engine.Compile(r.RuleSet()))).ToList();
            Volatile.Write(ref _checkedAt, Environment.TickCount64);
            _loaded = new Loaded(list, version);
            return list;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>
    /// Whether the database's catalog version moved since <paramref name="loaded"/>. Asked at most once
    /// per interval, by one request at a time; the others meanwhile use what is loaded.
    /// </summary>
    private async ValueTask<bool> ChangedElsewhereAsync(Loaded loaded, CancellationToken ct)
    {
        var now = Environment.TickCount64;
        if (now - Volatile.Read(ref _checkedAt) < (long)options.Value.RefreshInterval.TotalMilliseconds
            || Interlocked.CompareExchange(ref _checking, 1, 0) != 0)
        {
            return false;
        }
        try
        {
            Volatile.Write(ref _checkedAt, now);
            return await repository.GetCatalogVersionAsync(ct) != loaded.Version;
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }
    }
}
