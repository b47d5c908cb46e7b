using PolicyMatch.Rules;

namespace PolicyMatch.Web.Features.Catalog;

/// <summary>A published measure with its rules compiled once.</summary>
public sealed record PublishedMeasure(MeasureVersionRow Row, CompiledMeasure Rules);

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
