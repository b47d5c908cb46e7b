using System.Text.RegularExpressions;

namespace PolicyMatch.Web.Features.Plans;

/// <summary>One heading of a plan and the paragraphs under it (not its sub-clauses).</summary>
public sealed record Clause(string Ref, int Ordinal, int Depth, string Heading, string Text);

/// <summary>
/// Splits a plan's text into clauses by its heading lines and names each clause in the plan's own
/// numbering: 二、 → (一) → 1. gives 二(一)1; 第二节 → 一、 gives 第二节一 (plan 003). Text before the first
/// heading is the clause "preamble". A reference met twice gets a suffix (-2, -3) so anchors stay unique.
/// </summary>
public static partial class ClauseParser
{
    public const string PreambleRef = "preamble";

    private enum Level { Chapter = 0, Section = 1, Part = 2, Paragraph = 3, Item = 4 }

    public static IReadOnlyList<Clause> Parse(string text)
    {
        var clauses = new List<Clause>();
        var open = new Dictionary<Level, string>();
        string currentRef = PreambleRef;
        string currentHeading = "";
        int currentDepth = 0;
        var body = new List<string>();
        var seen = new Dictionary<string, int>();

        void Flush()
        {
            var joined = string.Join("\n", body).Trim();
            if (currentRef != PreambleRef || joined.Length > 0)
            {
                clauses.Add(new Clause(currentRef, clauses.Count, currentDepth, currentHeading, joined));
            }
            body.Clear();
        }

        foreach (var rawLine in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = rawLine.Trim().Trim('\u3000').Trim();
            var heading = Recognise(line);
            if (heading is null)
            {
                body.Add(line);
                continue;
            }
            Flush();
            var (level, token) = heading.Value;
            foreach (var deeper in open.Keys.Where(k => k >= level).ToList())
            {
                open.Remove(deeper);
            }
            open[level] = token;
            var reference = BuildRef(open, level);
            seen[reference] = seen.GetValueOrDefault(reference) + 1;
            currentRef = seen[reference] == 1 ? reference : $"{reference}-{seen[reference]}";
            currentDepth = open.Count - 1;
            currentHeading = ShortHeading(line);
            body.Add(line);
        }
        Flush();
        return clauses;
    }

    /// <summary>The clause and every clause nested under it, in order: a citation of 二(一) covers 二(一)1 … too.</summary>
    public static IEnumerable<Clause> Subtree(IReadOnlyList<Clause> clauses, string reference)
    {
        var start = clauses.ToList().FindIndex(c => c.Ref == reference);
        if (start < 0)
        {
            yield break;
        }
        yield return clauses[start];
        for (var i = start + 1; i < clauses.Count && clauses[i].Depth > clauses[start].Depth; i++)
        {
            yield return clauses[i];
        }
    }

    private static string BuildRef(Dictionary<Level, string> open, Level level)
    {
        // Chapters name themselves only; sections start a fresh reference (003 has one chapter).
        if (level == Level.Chapter)
        {
            return open[Level.Chapter];
        }
        var parts = open.Where(kv => kv.Key >= Level.Section && kv.Key <= level).OrderBy(kv => kv.Key).Select(kv => kv.Value);
        return string.Concat(parts);
    }

    private static (Level, string)? Recognise(string line)
    {
        if (line.Length == 0)
        {
            return null;
        }
        var m = ChapterOrSection().Match(line);
        if (m.Success)
        {
            return (m.Groups["unit"].Value == "章" ? Level.Chapter : Level.Section, $"第{m.Groups["n"].Value}{m.Groups["unit"].Value}");
        }
        m = Part().Match(line);
        if (m.Success)
        {
            return (Level.Part, m.Groups["n"].Value);
        }
        m = Paragraph().Match(line);
        if (m.Success)
        {
            return (Level.Paragraph, $"({m.Groups["n"].Value})");
        }
        m = Item().Match(line);
        if (m.Success)
        {
            return (Level.Item, m.Groups["n"].Value);
        }
        return null;
    }

    /// <summary>The heading proper: up to the first full stop, or the whole short line.</summary>
    private static string ShortHeading(string line)
    {
        var stop = line.IndexOf('。');
        var heading = stop > 0 ? line[..stop] : line;
        return heading.Length > 60 ? heading[..60] + "…" : heading;
    }

    [GeneratedRegex(@"^第(?<n>[一二三四五六七八九十]+)(?<unit>[章节])(\s|$)")]
    private static partial Regex ChapterOrSection();

    [GeneratedRegex(@"^(?<n>[一二三四五六七八九十]+)、")]
    private static partial Regex Part();

    [GeneratedRegex(@"^[(（](?<n>[一二三四五六七八九十]+)[)）]")]
    private static partial Regex Paragraph();

    [GeneratedRegex(@"^(?<n>\d{1,2})[.．、](?!\d)")]
    private static partial Regex Item();
}
