namespace PolicyMatch.Rules;

/// <summary>
/// A rule could not be compiled (unknown operator, malformed node, wrong number of arguments).
/// <see cref="Path"/> locates the offending node in the rule, in a JSONPath-like notation:
/// <c>$</c> is the root, <c>.and</c> or <c>['&gt;=']</c> an operator key, <c>[1]</c> an argument index,
/// e.g. <c>$.and[1]['&gt;='][0]</c>. Criteria compiled by <see cref="EligibilityEngine"/> are prefixed
/// with the criterion, e.g. <c>criteria['in-beijing'].rule.and[0]</c>.
/// </summary>
public class JsonLogicException : Exception
{
    public JsonLogicException(string message, string path, string? op)
        : base(Format(message, path, op))
    {
        Path = path;
        Operator = op;
        Reason = message;
    }

    /// <summary>Where in the rule the problem is (see the class remarks for the notation).</summary>
    public string Path { get; }

    /// <summary>The operator concerned, when there is one (null for e.g. an empty object).</summary>
    public string? Operator { get; }

    /// <summary>The message without the path and operator decoration.</summary>
    public string Reason { get; }

    private static string Format(string message, string path, string? op) =>
        op is null ? $"{message} at {path}" : $"{message} (operator '{op}') at {path}";
}
