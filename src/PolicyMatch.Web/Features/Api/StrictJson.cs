using System.Text;
using System.Text.Json;

namespace PolicyMatch.Web.Features.Api;

/// <summary>
/// Checks what <see cref="System.Text.Json.Nodes.JsonNode.Parse(ReadOnlySpan{byte}, System.Text.Json.Nodes.JsonNodeOptions?, JsonDocumentOptions)"/>
/// lets through and then fails on later with an exception (a 500): a key given twice in one object (JsonObject
/// throws when it builds the dictionary), text that is not valid UTF-8, and escaped lone surrogates
/// (<c>"\ud800"</c>, which no string can hold). Names the JSON path of the first problem.
/// </summary>
public static class StrictJson
{
    /// <summary>
    /// One open container: its keys so far (objects) or next index (arrays), and how its parent reaches
    /// it (a property name, or an index). Paths are spelled out only for a problem: this check reads
    /// every request body of the API, and most have none.
    /// </summary>
    private struct Frame
    {
        public HashSet<string>? Keys;
        public int Index;
        public string? ReachedByName;
        public int ReachedByIndex;
    }

    public static (string Message, string Path)? Check(ReadOnlySpan<byte> json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        var frames = new List<Frame>();
        string? pending = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        {
                            var reachedByIndex = frames.Count > 0 && frames[^1].Keys is null ? frames[^1].Index : -1;
                            var reachedByName = pending;
                            Advance(frames, ref pending);
                            frames.Add(new Frame
                            {
                                Keys = reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null,
                                ReachedByName = reachedByName,
                                ReachedByIndex = reachedByIndex,
                            });
                            break;
                        }
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        {
                            if (Problem(ref reader, out var name) is { } nameProblem)
                            {
                                return (nameProblem, PathOf(frames) + "." + Encoding.UTF8.GetString(reader.ValueSpan));
                            }
                            if (!frames[^1].Keys!.Add(name!))
                            {
                                return ($"the key '{name}' is given twice in one object", PathOf(frames) + "." + name);
                            }
                            pending = name;
                            break;
                        }
                    case JsonTokenType.String:
                        if (Problem(ref reader, out _) is { } textProblem)
                        {
                            return (textProblem, PathOf(frames) + ValueSegment(frames, pending));
                        }
                        Advance(frames, ref pending);
                        break;
                    default:
                        Advance(frames, ref pending);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: JsonNode.Parse reports it with line and position.
            return null;
        }
        return null;
    }

    /// <summary>The path of the innermost open container: "$", then ".name" or "[i]" per level.</summary>
    private static string PathOf(List<Frame> frames)
    {
        var path = new StringBuilder("$");
        foreach (var frame in frames.Skip(1))
        {
            if (frame.ReachedByIndex >= 0) path.Append('[').Append(frame.ReachedByIndex).Append(']');
            else path.Append('.').Append(frame.ReachedByName);
        }
        return path.ToString();
    }

    /// <summary>How the current value is reached from its container (".name" or "[i]"); empty at the top.</summary>
    private static string ValueSegment(List<Frame> frames, string? pending) =>
        frames.Count == 0 ? "" : frames[^1].Keys is null ? $"[{frames[^1].Index}]" : "." + pending;

    private static void Advance(List<Frame> frames, ref string? pending)
    {
        pending = null;
        if (frames.Count > 0 && frames[^1].Keys is null)
        {
            var frame = frames[^1];
            frame.Index++;
            frames[^1] = frame;
        }
    }

    /// <summary>
    /// What is wrong with a property name or string value, or null. Valid UTF-8 without escapes needs no
    /// copy (a value's text is not kept: <paramref name="text"/> is null then); escaped text is unescaped
    /// to find lone surrogates.
    /// </summary>
    private static string? Problem(ref Utf8JsonReader reader, out string? text)
    {
        text = null;
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && reader.TokenType == JsonTokenType.String)
        {
            return System.Text.Unicode.Utf8.IsValid(reader.ValueSpan) ? null : "the text is not valid UTF-8";
        }
        try
        {
            text = reader.GetString()!;
            return null;
        }
        catch (InvalidOperationException)
        {
            return reader.ValueIsEscaped
                ? "the text has an escaped lone surrogate (\\ud800–\\udfff without its pair), which is not a character"
                : "the text is not valid UTF-8";
        }
    }
}
