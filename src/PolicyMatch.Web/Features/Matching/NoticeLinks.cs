using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Components;
using PolicyMatch.Web.Features.Catalog;

namespace PolicyMatch.Web.Features.Matching;

/// <summary>
/// Which notices concern which measures, held in memory for a short while: the matches page lists the
/// notices of the measures a company is eligible for, and is the portal's busiest page (tests/load), so
/// it must not read every notice from the database on each request. A notice an administrator
/// publishes appears within <see cref="MaxAge"/>.
/// </summary>
public sealed class NoticeLinks(CatalogRepository catalog, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private sealed record Loaded(IReadOnlyList<NoticeDocument> Notices, DateTimeOffset At);

    private volatile Loaded? _loaded;

    public async Task<IReadOnlyList<NoticeDocument>> AllAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_loaded is { } l && now - l.At < MaxAge)
        {
            return l.Notices;
        }
        var notices = await catalog.GetNoticeDocumentsAsync(ct);
        _loaded = new Loaded(notices, now);
        return notices;
    }

    /// <summary>
    /// Notices about any of the measures, newest first, as cards naming the measures they concern; with a
    /// profile, only the notices for its regions (a Changping notice linked to a Tongzhou measure is not
    /// shown to a Tongzhou company, as it is not sent to one).
    /// </summary>
    public async Task<IReadOnlyList<NoticeCardModel>> ForAsync(IEnumerable<MatchItem> items, int max, CancellationToken ct, JsonObject? profile = null)
    {
        var titles = items.ToDictionary(i => i.Measure.MeasureId, i => i.Measure.Title);
        if (titles.Count == 0) return [];
        return (await AllAsync(ct))
            .Where(n => n.Measures.Any(titles.ContainsKey))
            .Where(n => profile is null || RecipientResolver.InRegions(profile, n.Regions ?? []))
            .OrderByDescending(n => n.Window?.Closes ?? n.PublishedOn).ThenByDescending(n => n.PublishedOn)
            .Take(max)
            .Select(n => new NoticeCardModel(n.Id, n.Kind, n.Title, n.PublishedOn, n.Window?.Opens, n.Window?.Closes)
            {
                Concerns = n.Measures.Where(titles.ContainsKey).Select(m => titles[m]).ToList(),
            })
            .ToList();
    }
}
