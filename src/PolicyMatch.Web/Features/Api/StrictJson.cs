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
    public static (string Message, string Path)? Check(ReadOnlySpan<byte> json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        // One frame per open container: its keys (objects) or next index (arrays), and the path to it.
        var frames = new Stack<(HashSet<string>? Keys, int Index, string Path)>();
        var path = "$";
        string? pending = null;
        try
        {
            while (reader.Read())
            {
                var at = ValuePath(frames, pending, path);
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        Advance(frames, ref pending);
                        frames.Push((reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null, 0, at));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        {
                            var frame = frames.Peek();
                            var name = Text(ref reader, frame.Path + "." + Encoding.UTF8.GetString(reader.ValueSpan));
                            if (!frame.Keys!.Add(name))
                            {
                                return ($"the key '{name}' is given twice in one object", frame.Path + "." + name);
                            }
                            pending = name;
                            break;
                        }
                    case JsonTokenType.String:
                        Text(ref reader, at);
                        Advance(frames, ref pending);
                        break;
                    default:
                        Advance(frames, ref pending);
                        break;
                }
            }
        }
        catch (InvalidText e)
        {
            return (e.Message, e.Path);
        }
        catch (JsonException)
        {
            // Malformed JSON: JsonNode.Parse reports it with line and position.
            return null;
        }
        return null;
    }

    private static string ValuePath(Stack<(HashSet<string>? Keys, int Index, string Path)> frames, string? pending, string root)
    {
        if (frames.Count == 0) return root;
        var frame = frames.Peek();
        return frame.Keys is null ? $"{frame.Path}[{frame.Index}]" : $"{frame.Path}.{pending}";
    }

    private static void Advance(Stack<(HashSet<string>? Keys, int Index, string Path)> frames, ref string? pending)
    {
        pending = null;
        if (frames.Count > 0 && frames.Peek().Keys is null)
        {
            var (keys, index, p) = frames.Pop();
            frames.Push((keys, index + 1, p));
        }
    }

    private static string Text(ref Utf8JsonReader reader, string path)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new InvalidText(
                reader.ValueIsEscaped ? "the text has an escaped lone surrogate (\\ud800–\\udfff without its pair), which is not a character"
                    : "the text is not valid UTF-8", path);
        }
    }

    private sealed class InvalidText(string message, string path) : Exception(message)
    {
        public string Path { get; } = path;
    }
}
