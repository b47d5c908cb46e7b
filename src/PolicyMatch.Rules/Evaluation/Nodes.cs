using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PolicyMatch.Rules.Evaluation;

/// <summary>A parsed rule node. <see cref="Path"/> says where it is in the rule, for errors and traces.</summary>
internal abstract class Node
{
    protected Node(string path) => Path = path;

    public string Path { get; }
}

/// <summary>A scalar, or an array whose elements are all constant (built once, never mutated).</summary>
internal sealed class LiteralNode(string path, Val value) : Node(path)
{
    public Val Value { get; } = value;
}

/// <summary>An array with at least one rule inside: evaluates each element.</summary>
internal sealed class ArrayNode(string path, Node[] items) : Node(path)
{
    public Node[] Items { get; } = items;
}

internal sealed class OpNode(string path, OperatorDef op, Node[] args) : Node(path)
{
    public OperatorDef Op { get; } = op;

    public Node[] Args { get; } = args;

    public string Name => Op.Name;
}

/// <summary>Turns rule JSON into nodes, checking operators and their number of arguments.</summary>
internal static partial class Parser
{
    public const string Root = "$";

    public static Node Parse(JsonNode? json, string path = Root)
    {
        switch (json)
        {
            case null:
                return new LiteralNode(path, Val.Null);
            case JsonValue v:
                return new LiteralNode(path, ValJson.FromValue(v));
            case JsonArray a:
                {
                    var items = new Node[a.Count];
                    var constant = true;
                    for (var i = 0; i < items.Length; i++)
                    {
                        items[i] = Parse(a[i], $"{path}[{i}]");
                        constant &= items[i] is LiteralNode;
                    }

                    if (!constant)
                    {
                        return new ArrayNode(path, items);
                    }

                    var values = new Val[items.Length];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = ((LiteralNode)items[i]).Value;
                    }

                    return new LiteralNode(path, Val.Array(values));
                }

            case JsonObject o:
                return ParseOperation(o, path);
            default:
                throw new JsonLogicException("unsupported JSON node", path, null);
        }
    }

    private static OpNode ParseOperation(JsonObject o, string path)
    {
        if (o.Count != 1)
        {
            // json-logic-js passes such objects through as data; in rules they are nearly always a mistake
            // (two operators in one object, or a forgotten wrapper), so we reject them.
            var keys = string.Join(", ", o.Select(p => $"'{p.Key}'"));
            throw new JsonLogicException(
                o.Count == 0
                    ? "malformed rule: an empty object is not an operation (an operation is an object with exactly one key)"
                    : $"malformed rule: an operation is an object with exactly one key, found {o.Count} ({keys})",
                path,
                null);
        }

        var (name, value) = o.First();
        var opPath = path + Member(name);
        var def = Operators.Find(name)
            ?? throw new JsonLogicException($"unknown operator '{name}'", opPath, name);

        Node[] args;
        if (value is JsonArray arr)
        {
            args = new Node[arr.Count];
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = Parse(arr[i], $"{opPath}[{i}]");
            }
        }
        else
        {
            // JsonLogic's unary sugar: {"!": true} is {"!": [true]}.
            args = [Parse(value, opPath)];
        }

        if (args.Length < def.MinArgs || args.Length > def.MaxArgs)
        {
            throw new JsonLogicException(
                $"'{name}' takes {def.ArityText}, got {args.Length}", opPath, name);
        }

        return new OpNode(opPath, def, args);
    }

    /// <summary>Path step for an object key: <c>.and</c> for plain names, <c>['&gt;=']</c> otherwise.</summary>
    public static string Member(string key) =>
        SimpleName().IsMatch(key) ? "." + key : "['" + key.Replace("\\", "\\\\").Replace("'", "\\'") + "']";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex SimpleName();
}
