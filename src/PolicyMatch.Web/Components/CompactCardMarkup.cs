using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Matching;

namespace PolicyMatch.Web.Components;

/// <summary>
/// The markup of compact cards, rendered by <see cref="MeasureCard"/> once per distinct content and
/// then written as it is. A matches page shows 50–70 compact cards (the collapsed expired and
/// not-eligible lists); rendering them frame by frame took about a third of the CPU the page's
/// components used (0.22 of 0.67 ms a request, measured with perf under load). A compact card says the same for every profile with the same score; the one part that is the
/// request's own, the profile's query string in the card's link, is cut out of the cached markup and
/// written per list (<see cref="MeasureCards"/>).
/// </summary>
public sealed class CompactCardMarkup(IServiceScopeFactory scopes, ILoggerFactory loggers, HtmlEncoder encoder)
{
    /// <summary>
    /// Distinct cards kept before the cache is emptied and fills again: a catalog of a few hundred
    /// measures in two languages, three periods and a handful of scores each stays far below it. Cards
    /// of measures since edited stay until then (their key holds the old title), unused and harmless.
    /// </summary>
    public const int Capacity = 20_000;

    private readonly ConcurrentDictionary<Key, Parts?> _cards = new();

    /// <summary>Everything a compact card shows (see <see cref="MeasureCard.For"/>), and the language it is shown in.</summary>
    private readonly record struct Key(
        string MeasureId, string Title, string? TitleEn, string Kind, PeriodStatus? Period, string Status,
        Beneficiary? NotMatched, MatchGroup? Group, int Met, int Total, bool English)
    {
        public static Key Of(MeasureCardModel card) => new(card.MeasureId, card.Title, card.TitleEn, card.Kind, card.Period,
            card.Status, card.NotMatched, card.Group, card.Met, card.Total, Infrastructure.Web.L.English);
    }

    /// <summary>A card's markup (trusted: rendered by MeasureCard) up to its link's query string, and after it.</summary>
    public sealed record Parts(string BeforeQuery, string AfterQuery);

    /// <summary>Distinct cards held now (for tests).</summary>
    public int Count => _cards.Count;

    /// <summary>
    /// The card's markup, if it is compact and rendered already. <paramref name="query"/> is the rest of
    /// its link after <c>/measures/{id}</c> (the profile), written between the two parts, attribute-encoded.
    /// </summary>
    public bool TryGet(MeasureCardModel card, out Parts parts, out ReadOnlySpan<char> query)
    {
        parts = null!;
        query = default;
        var start = QueryStart(card);
        if (start < 0 || !_cards.TryGetValue(Key.Of(card), out var found) || found is null)
        {
            return false;
        }
        parts = found;
        query = card.Href.AsSpan(start);
        return true;
    }

    /// <summary>Writes the cards of one list: compact ones from the cache, with the list's query string encoded once.</summary>
    public ListWriter ForList() => new(this, encoder);

    public sealed class ListWriter(CompactCardMarkup cache, HtmlEncoder encoder)
    {
        // The cards of one list share the profile's query string: encoded once, not once per card.
        private string _query = "";
        private string _encodedQuery = "";

        /// <summary>The card from the cache if it is there (see <see cref="PrepareAsync"/>), rendered otherwise.</summary>
        public RenderFragment Card(MeasureCardModel card)
        {
            if (!cache.TryGet(card, out var parts, out var query))
            {
                return MeasureCard.For(card);
            }
            if (!query.SequenceEqual(_query))
            {
                _query = query.ToString();
                _encodedQuery = encoder.Encode(_query);
            }
            var encoded = _encodedQuery;
            return builder =>
            {
                builder.AddMarkupContent(0, parts.BeforeQuery);
                builder.AddMarkupContent(1, encoded);
                builder.AddMarkupContent(2, parts.AfterQuery);
            };
        }
    }

    /// <summary>Renders the compact cards of <paramref name="cards"/> that are not cached yet; synchronous when none is missing.</summary>
    public Task PrepareAsync(IEnumerable<MeasureCardModel> cards)
    {
        List<MeasureCardModel>? missing = null;
        foreach (var card in cards)
        {
            if (QueryStart(card) >= 0 && !_cards.ContainsKey(Key.Of(card)))
            {
                (missing ??= []).Add(card);
            }
        }
        return missing is null ? Task.CompletedTask : RenderAsync(missing);
    }

    private async Task RenderAsync(List<MeasureCardModel> cards)
    {
        if (_cards.Count + cards.Count > Capacity)
        {
            _cards.Clear();
        }
        // A renderer keeps every root component it rendered: one renderer for these cards, disposed with
        // them, in a scope of its own (it resolves the scoped services components may ask for).
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        await renderer.Dispatcher.InvokeAsync(async () =>
        {
            foreach (var card in cards)
            {
                var path = card.Href[..QueryStart(card)];
                var output = await renderer.RenderComponentAsync<MeasureCard>(ParameterView.FromDictionary(new Dictionary<string, object?>
                {
                    [nameof(MeasureCard.Model)] = card with { Href = path },
                }));
                _cards[Key.Of(card)] = Split(output.ToHtmlString(), path);
            }
        });
    }

    /// <summary>
    /// Cuts the markup where the link's query string goes: right after the path, inside the one
    /// <c>href</c> that holds it. Null (the card is then always rendered) if that place is not unique.
    /// </summary>
    private Parts? Split(string html, string path)
    {
        var attribute = "href=\"" + encoder.Encode(path) + "\"";
        var at = html.IndexOf(attribute, StringComparison.Ordinal);
        if (at < 0 || html.IndexOf(attribute, at + 1, StringComparison.Ordinal) >= 0)
        {
            return null;
        }
        var cut = at + attribute.Length - 1;
        return new Parts(html[..cut], html[cut..]);
    }

    /// <summary>
    /// Where the query string starts in a compact card's link <c>/measures/{id}?…</c>; -1 for a card
    /// that is not compact, or whose id needs escaping in a path (an escaped id never equals the id).
    /// </summary>
    private static int QueryStart(MeasureCardModel card)
    {
        const string Path = "/measures/";
        var href = card.Href.AsSpan();
        var end = Path.Length + card.MeasureId.Length;
        return card.Compact && href.StartsWith(Path, StringComparison.Ordinal) && href[Path.Length..].StartsWith(card.MeasureId, StringComparison.Ordinal)
            && (href.Length == end || href[end] == '?') ? end : -1;
    }
}
