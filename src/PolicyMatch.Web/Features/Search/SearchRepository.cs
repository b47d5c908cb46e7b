using System.Data.Common;
using System.Net;
using System.Text;
using Dapper;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Search;

public sealed record SearchFilters(string? District = null, string? Kind = null, string? Status = null, string? Plan = null)
{
    public bool RestrictsMeasures => Kind is not null || Status is not null || District is not null;
}

/// <summary>A hit: a measure (key = measure id) or a plan clause (key = plan id + '#' + clause ref).</summary>
public sealed record SearchHit(string DocKind, string DocKey, string Title, string SnippetHtml);

/// <summary>
/// Full-text search over measures and plan clauses; every term must match.
/// <para>SQLite: FTS5's trigram tokenizer handles Chinese without a word segmenter but only matches
/// terms of three or more characters; one- and two-character terms (人才, 补贴) fall back to LIKE over
/// the same index. FTS5 ranks (bm25) and cuts the snippets.</para>
/// <para>PostgreSQL: its text search needs a segmenter for Chinese, which Debian does not ship, so
/// each term is an ILIKE over title and body, served by a pg_trgm GIN index for terms of three or more
/// characters (migration 0001); hits in the title rank first and the snippet is cut here.</para>
/// </summary>
public sealed class SearchRepository(IDbConnectionFactory connections)
{
    private const int MaxTerms = 5;
    private const char MarkOpen = '\uE000';
    private const char MarkClose = '\uE001';

    /// <summary>Refills the index from the catalog; called inside the transaction that changed it.</summary>
    public async Task RebuildAsync(DbConnection connection, DbTransaction tx)
    {
        await connection.ExecuteAsync("DELETE FROM search_index", transaction: tx);
        var lf = connections.Dialect.Char(10);
        await connection.ExecuteAsync($"""
            INSERT INTO search_index (doc_kind, doc_key, title, body)
            SELECT 'measure', m.id, v.title,
                   v.summary || {lf} || v.quote || {lf} || COALESCE(v.notes, '') || {lf} ||
                   COALESCE(v.title_en, '') || {lf} || v.departments_json || {lf} || v.focus_areas_json
            FROM measures m JOIN measure_versions v
              ON v.measure_id = m.id AND v.version = COALESCE(m.published_version, m.current_version)
            WHERE m.status <> @Draft
            """, new { Catalog.MeasureStatus.Draft }, tx);
        await connection.ExecuteAsync("""
            INSERT INTO search_index (doc_kind, doc_key, title, body)
            SELECT 'clause', c.plan_id || '#' || c.ref, p.title || ' ' || c.heading, c.text
            FROM plan_clauses c JOIN plans p ON p.id = c.plan_id
            """, transaction: tx);
    }

    public static IReadOnlyList<string> Terms(string? query) =>
        (query ?? "").Split([' ', '\u3000', '\t', ',', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct().Take(MaxTerms).ToList();

    /// <summary>
    /// Most hits the measures page lists: each is a full card, and a page of 200 cards is already more than
    /// a person reads (the catalog holds 69 measures today; the cap bounds a grown catalog's page).
    /// </summary>
    public const int MaxPageHits = 200;

    /// <summary>Most hits <c>GET /api/measures</c> returns: compact JSON for programs, so a larger cap than the page.</summary>
    public const int MaxApiHits = 500;

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string? query, SearchFilters filters, IReadOnlyCollection<string>? regionsForDistrict, int limit = 100, CancellationToken ct = default)
    {
        var terms = Terms(query);
        var parameters = new DynamicParameters();
        var where = new List<string>();
        var postgres = connections.Provider == DbProvider.PostgreSql;
        var longTerms = postgres ? [] : terms.Where(t => t.Length >= 3).ToList();
        if (longTerms.Count > 0)
        {
            // Each term as an FTS5 phrase (quotes doubled), all required: no user text reaches the SQL itself.
            parameters.Add("Match", string.Join(" AND ", longTerms.Select(t => "\"" + t.Replace("\"", "\"\"") + "\"")));
            where.Add("search_index MATCH @Match");
        }
        var likeTerms = terms.Where(t => postgres || t.Length < 3).ToList();
        for (var i = 0; i < likeTerms.Count; i++)
        {
            parameters.Add($"Like{i}", "%" + EscapeLike(likeTerms[i]) + "%");
            // On PostgreSQL the expression is the trigram index's own, so the index serves it.
            where.Add(postgres
                ? $"(s.title || ' ' || s.body) ILIKE @Like{i} ESCAPE '\\'"
                : $"(s.title LIKE @Like{i} ESCAPE '\\' OR s.body LIKE @Like{i} ESCAPE '\\')");
        }
        if (filters.Plan is not null)
        {
            parameters.Add("Plan", filters.Plan);
            where.Add("((s.doc_kind = 'measure' AND m.plan_id = @Plan) OR (s.doc_kind = 'clause' AND s.doc_key LIKE @Plan || '#%'))");
        }
        if (filters.RestrictsMeasures)
        {
            where.Add("s.doc_kind = 'measure'");
        }
        if (filters.Kind is not null)
        {
            parameters.Add("Kind", filters.Kind);
            where.Add("v.kind = @Kind");
        }
        if (filters.Status is not null)
        {
            parameters.Add("Status", filters.Status);
            where.Add("m.status = @Status");
        }
        if (regionsForDistrict is not null)
        {
            parameters.Add("Regions", regionsForDistrict.ToList());
            where.Add($"EXISTS (SELECT 1 FROM {connections.Dialect.JsonArrayRows("v.regions_json", "r")} WHERE {connections.Dialect.InList("r.value", "@Regions")})");
        }
        parameters.Add("Limit", limit);
        var ranked = longTerms.Count > 0;
        var sql = $"""
            SELECT s.doc_kind, s.doc_key, s.title, {(ranked ? "snippet(search_index, 3, char(57344), char(57345), '…', 24)" : "s.body")} AS body
            FROM search_index s
            LEFT JOIN measures m ON s.doc_kind = 'measure' AND m.id = s.doc_key
            LEFT JOIN measure_versions v ON v.measure_id = m.id AND v.version = COALESCE(m.published_version, m.current_version)
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY {(ranked ? "rank, " : "")}{(postgres && likeTerms.Count > 0 ? "CASE WHEN s.title ILIKE @Like0 ESCAPE '\\' THEN 0 ELSE 1 END, " : "")}s.doc_kind DESC, s.doc_key
            LIMIT @Limit
            """;
        await using var connection = await connections.OpenAsync(ct);
        var rows = await connection.QueryAsync<(string DocKind, string DocKey, string Title, string Body)>(sql, parameters);
        return rows.Select(r => new SearchHit(r.DocKind, r.DocKey, r.Title, Snippet(r.Body, terms, ranked))).ToList();
    }

    private static string EscapeLike(string term) =>
        term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    /// <summary>
    /// HTML for a result's excerpt: the text is encoded first, then every term is wrapped in
    /// &lt;mark&gt;; FTS5's own markers (private-use characters) are turned into the same tags.
    /// </summary>
    internal static string Snippet(string body, IReadOnlyList<string> terms, bool fromFts)
    {
        var text = body;
        if (!fromFts)
        {
            var first = terms.Select(t => text.IndexOf(t, StringComparison.OrdinalIgnoreCase)).Where(i => i >= 0).DefaultIfEmpty(0).Min();
            var start = Math.Max(0, first - 30);
            var length = Math.Min(text.Length - start, 120);
            text = (start > 0 ? "…" : "") + text.Substring(start, length) + (start + length < body.Length ? "…" : "");
        }
        foreach (var term in terms.OrderByDescending(t => t.Length))
        {
            text = ReplaceIgnoreCase(text, term, m => $"{MarkOpen}{m}{MarkClose}");
        }
        var html = new StringBuilder(WebUtility.HtmlEncode(text).Replace("\n", " "));
        html.Replace(MarkOpen.ToString(), "<mark>").Replace(MarkClose.ToString(), "</mark>");
        // Nested marks (FTS marker around a LIKE marker) collapse harmlessly.
        return html.Replace("<mark><mark>", "<mark>").Replace("</mark></mark>", "</mark>").ToString();
    }

    private static string ReplaceIgnoreCase(string text, string term, Func<string, string> wrap)
    {
        if (term.Length == 0)
        {
            return text;
        }
        var result = new StringBuilder();
        var index = 0;
        while (true)
        {
            var found = text.IndexOf(term, index, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                break;
            }
            // Don't mark inside an existing mark.
            var open = text.LastIndexOf(MarkOpen, found);
            var close = text.LastIndexOf(MarkClose, found);
            result.Append(text, index, found - index);
            var piece = text.Substring(found, term.Length);
            result.Append(open > close ? piece : wrap(piece));
            index = found + term.Length;
        }
        result.Append(text, index, text.Length - index);
        return result.ToString();
    }
}
