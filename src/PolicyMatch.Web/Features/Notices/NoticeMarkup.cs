using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>
/// The small markup a notice's body is written in (issue 12): paragraphs separated by a blank line,
/// lists (lines starting "- " or "1. "), and links written [text](https://…) or as a bare https:// address.
/// Everything else is text: the HTML built here encodes every character the administrator typed, so
/// a &lt;script&gt;, an onclick= or an &lt;img&gt; shows as text and never runs, and only http(s) and
/// portal-relative links become links — a javascript: or data: link is shown as its text alone.
/// The same rendering serves the notice page and the HTML email; <see cref="ToText"/> the plain-text email.
/// </summary>
public static partial class NoticeMarkup
{
    private enum BlockKind { Paragraph, Bullets, Numbers }

    public static string ToHtml(string body)
    {
        var html = new StringBuilder();
        foreach (var (kind, lines) in Blocks(body))
        {
            switch (kind)
            {
                case BlockKind.Paragraph:
                    html.Append("<p>").Append(string.Join("<br>", lines.Select(Inline))).Append("</p>");
                    break;
                default:
                    var tag = kind == BlockKind.Bullets ? "ul" : "ol";
                    html.Append('<').Append(tag).Append('>');
                    foreach (var line in lines)
                    {
                        html.Append("<li>").Append(Inline(line)).Append("</li>");
                    }
                    html.Append("</").Append(tag).Append('>');
                    break;
            }
        }
        return html.ToString();
    }

    /// <summary>The plain-text rendering: lists as "- " / "1. " lines, a link as "text (address)".</summary>
    public static string ToText(string body)
    {
        var blocks = Blocks(body).Select(b => string.Join("\n", b.Lines.Select((line, i) =>
            (b.Kind switch { BlockKind.Bullets => "- ", BlockKind.Numbers => $"{i + 1}. ", _ => "" }) + LinkPattern().Replace(line, m =>
                m.Groups["text"].Success ? (SafeUrl(m.Groups["url"].Value) is { } url ? $"{m.Groups["text"].Value} ({url})" : m.Groups["text"].Value) : m.Value))));
        return string.Join("\n\n", blocks);
    }

    private static IEnumerable<(BlockKind Kind, List<string> Lines)> Blocks(string body)
    {
        foreach (var block in body.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var lines = block.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            if (lines.All(l => Bullet().IsMatch(l)))
            {
                yield return (BlockKind.Bullets, lines.Select(l => Bullet().Replace(l, "")).ToList());
            }
            else if (lines.All(l => Number().IsMatch(l)))
            {
                yield return (BlockKind.Numbers, lines.Select(l => Number().Replace(l, "")).ToList());
            }
            else
            {
                yield return (BlockKind.Paragraph, lines);
            }
        }
    }

    /// <summary>One line: text encoded, links made only from safe addresses.</summary>
    private static string Inline(string line)
    {
        var html = new StringBuilder();
        var at = 0;
        foreach (Match m in LinkPattern().Matches(line))
        {
            html.Append(WebUtility.HtmlEncode(line[at..m.Index]));
            var text = m.Groups["text"].Success ? m.Groups["text"].Value : m.Value;
            var url = SafeUrl(m.Groups["text"].Success ? m.Groups["url"].Value : m.Value);
            html.Append(url is null
                ? WebUtility.HtmlEncode(text)
                : $"<a href=\"{WebUtility.HtmlEncode(url)}\" rel=\"noopener noreferrer nofollow\">{WebUtility.HtmlEncode(text)}</a>");
            at = m.Index + m.Length;
        }
        html.Append(WebUtility.HtmlEncode(line[at..]));
        return html.ToString();
    }

    /// <summary>An http(s) address or a path in the portal; anything else (javascript:, data:, //host) is not a link.</summary>
    public static string? SafeUrl(string url)
    {
        var u = url.Trim();
        if (u.StartsWith('/') && !u.StartsWith("//", StringComparison.Ordinal) && !u.StartsWith("/\\", StringComparison.Ordinal))
        {
            return u;
        }
        return Uri.TryCreate(u, UriKind.Absolute, out var abs) && (abs.Scheme == Uri.UriSchemeHttps || abs.Scheme == Uri.UriSchemeHttp) ? abs.AbsoluteUri : null;
    }

    // The address may hold one level of parentheses (…/a_(b)), so "[x](javascript:alert(1))" is read
    // whole — and then refused — rather than leaving a stray ")".
    [GeneratedRegex(@"\[(?<text>[^\]\n]{1,200})\]\((?<url>(?:[^()\s]|\([^()\s]*\)){1,2000})\)|https?://[^\s<>""'）)，。]+")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"^[-•・*]\s+")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"^\d{1,2}[.、．]\s*")]
    private static partial Regex Number();
}
