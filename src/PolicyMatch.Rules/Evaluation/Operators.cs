using System.Collections.Frozen;

namespace PolicyMatch.Rules.Evaluation;

/// <summary>An ordinary operator: called with its arguments already evaluated (like a json-logic-js operation).</summary>
internal delegate Val OpFunction(ReadOnlySpan<Val> args, in Scope scope);

/// <summary>A special form: compiles its own argument nodes and controls their evaluation (if, and, map ...).</summary>
internal delegate Eval SpecialForm(OpNode node, Interpreter compiler);

internal sealed class OperatorDef
{
    public required string Name { get; init; }

    public int MinArgs { get; init; }

    public int MaxArgs { get; init; } = int.MaxValue;

    public OpFunction? Function { get; init; }

    public SpecialForm? Special { get; init; }

    /// <summary>
    /// An ordinary operator that needs its node (to name it when charging the evaluation's budget for what it
    /// builds): makes the function for one node at compile time. Used instead of <see cref="Function"/>.
    /// </summary>
    public Func<OpNode, OpFunction>? FunctionFor { get; init; }

    /// <summary>
    /// Three-valued mode: most functions are strict (an unknown argument makes the result unknown) and the
    /// dispatcher handles that; a function with this flag receives unknown arguments and decides itself.
    /// </summary>
    public bool SeesUnknown { get; init; }

    public string ArityText => (MinArgs, MaxArgs) switch
    {
        (var a, var b) when a == b => a == 1 ? "1 argument" : $"{a} arguments",
        (var a, int.MaxValue) => a == 1 ? "at least 1 argument" : $"at least {a} arguments",
        var (a, b) => $"{a} to {b} arguments",
    };
}

/// <summary>
/// The operator table: every operator the engine knows, a fixed whitelist. Ordinary operators are small functions
/// of evaluated arguments with JavaScript's semantics (see <see cref="Js"/>); special forms live in
/// <see cref="SpecialForms"/>. The arities are stricter than json-logic-js, which silently reads missing
/// arguments as undefined: a wrong number of arguments is an error at compile time.
/// </summary>
internal static class Operators
{
    private static readonly FrozenDictionary<string, OperatorDef> Table = Build().ToFrozenDictionary(d => d.Name, StringComparer.Ordinal);

    public static OperatorDef? Find(string name) => Table.GetValueOrDefault(name);

    private static IEnumerable<OperatorDef> Build()
    {
        // Data access and control: special forms.
        yield return new() { Name = "var", MinArgs = 0, MaxArgs = 2, Special = SpecialForms.Var };
        yield return new() { Name = "if", MinArgs = 0, Special = SpecialForms.If };
        yield return new() { Name = "?:", MinArgs = 0, Special = SpecialForms.If };
        yield return new() { Name = "and", MinArgs = 1, Special = SpecialForms.And };
        yield return new() { Name = "or", MinArgs = 1, Special = SpecialForms.Or };
        yield return new() { Name = "map", MinArgs = 2, MaxArgs = 2, Special = SpecialForms.Map };
        yield return new() { Name = "filter", MinArgs = 2, MaxArgs = 2, Special = SpecialForms.Filter };
        yield return new() { Name = "reduce", MinArgs = 2, MaxArgs = 3, Special = SpecialForms.Reduce };
        yield return new() { Name = "all", MinArgs = 2, MaxArgs = 2, Special = SpecialForms.All };
        yield return new() { Name = "none", MinArgs = 2, MaxArgs = 2, Special = SpecialForms.None };
        yield return new() { Name = "some", MinArgs = 2, MaxArgs = 2, Special = SpecialForms.Some };

        // Missing data: ordinary functions that also read the scope.
        yield return new() { Name = "missing", MinArgs = 0, Function = Missing };
        yield return new() { Name = "missing_some", MinArgs = 2, MaxArgs = 2, Function = MissingSome };

        // Logic and comparison.
        yield return Binary("==", static (a, b) => Val.Bool(Js.LooseEquals(a, b)));
        yield return Binary("===", static (a, b) => Val.Bool(Js.StrictEquals(a, b)));
        yield return Binary("!=", static (a, b) => Val.Bool(!Js.LooseEquals(a, b)));
        yield return Binary("!==", static (a, b) => Val.Bool(!Js.StrictEquals(a, b)));
        yield return Binary(">", static (a, b) => Val.Bool(Js.GreaterThan(a, b)));
        yield return Binary(">=", static (a, b) => Val.Bool(Js.GreaterOrEqual(a, b)));
        yield return new() { Name = "<", MinArgs = 2, MaxArgs = 3, SeesUnknown = true, Function = (a, in _) => Between(a, strict: true) };
        yield return new() { Name = "<=", MinArgs = 2, MaxArgs = 3, SeesUnknown = true, Function = (a, in _) => Between(a, strict: false) };
        yield return new() { Name = "!", MinArgs = 1, MaxArgs = 1, Function = static (a, in _) => Val.Bool(!Js.Truthy(a[0])) };
        yield return new() { Name = "!!", MinArgs = 1, MaxArgs = 1, Function = static (a, in _) => Val.Bool(Js.Truthy(a[0])) };

        // Numbers. + and * use parseFloat like json-logic-js; the others JavaScript's ToNumber.
        yield return new() { Name = "+", MinArgs = 1, Function = static (a, in _) => Plus(a) };
        yield return new() { Name = "*", MinArgs = 1, Function = static (a, in _) => Times(a) };
        yield return new()
        {
            Name = "-",
            MinArgs = 1,
            MaxArgs = 2,
            Function = static (a, in _) => a.Length == 1
                ? Js.Negate(Js.ToNumber(a[0]))
                : Js.Subtract(Js.ToNumber(a[0]), Js.ToNumber(a[1])),
        };
        yield return Binary("/", static (a, b) => Js.Divide(Js.ToNumber(a), Js.ToNumber(b)));
        yield return Binary("%", static (a, b) => Js.Remainder(Js.ToNumber(a), Js.ToNumber(b)));
        yield return new() { Name = "min", MinArgs = 1, Function = static (a, in _) => MinMax(a, max: false) };
        yield return new() { Name = "max", MinArgs = 1, Function = static (a, in _) => MinMax(a, max: true) };

        // Arrays and strings.
        yield return new() { Name = "merge", MinArgs = 0, FunctionFor = static node => (a, in s) => Merge(a, s.Charged, node) };
        yield return Binary("in", static (a, b) => Val.Bool(In(a, b)));
        yield return new() { Name = "cat", MinArgs = 0, FunctionFor = static node => (a, in s) => Cat(a, s.Charged, node) };
        yield return new() { Name = "substr", MinArgs = 2, MaxArgs = 3, Function = static (a, in _) => Substr(a) };
    }

    private static OperatorDef Binary(string name, Func<Val, Val, Val> f) =>
        new() { Name = name, MinArgs = 2, MaxArgs = 2, Function = (a, in _) => f(a[0], a[1]) };

    /// <summary>
    /// &lt; and &lt;= with two arguments, or the "between" form a &lt; b &lt; c. In three-valued mode the between
    /// form is the Kleene AND of its two comparisons, so a known false half decides it.
    /// </summary>
    private static Val Between(ReadOnlySpan<Val> a, bool strict)
    {
        var first = Pair(a[0], a[1], strict);
        if (a.Length == 2 || first.Kind == Kind.False)
        {
            return first;
        }

        var second = Pair(a[1], a[2], strict);
        if (second.Kind == Kind.False)
        {
            return second;
        }

        return first.IsUnknown || second.IsUnknown
            ? Val.Unknown(MissingSet.Union(first.Missing, second.Missing))
            : Val.True;
    }

    private static Val Pair(in Val x, in Val y, bool strict)
    {
        if (x.IsUnknown || y.IsUnknown)
        {
            return Val.Unknown(MissingSet.Union(x.IsUnknown ? x.Missing : null, y.IsUnknown ? y.Missing : null));
        }

        return Val.Bool(strict ? Js.LessThan(x, y) : Js.LessOrEqual(x, y));
    }

    /// <summary>json-logic-js: reduce with parseFloat(a) + parseFloat(b), starting from 0.</summary>
    public static Val Plus(ReadOnlySpan<Val> a)
    {
        var acc = Val.Zero;
        foreach (var v in a)
        {
            acc = Js.Add(acc, Js.ParseFloat(v));
        }

        return acc;
    }

    /// <summary>json-logic-js: reduce with parseFloat(a) * parseFloat(b) and no initial value, so one argument comes back as is.</summary>
    public static Val Times(ReadOnlySpan<Val> a)
    {
        var acc = a[0];
        for (var i = 1; i < a.Length; i++)
        {
            acc = Js.Multiply(Js.ParseFloat(acc), Js.ParseFloat(a[i]));
        }

        return acc;
    }

    /// <summary>Math.min / Math.max: every argument as a number; any NaN makes the result NaN.</summary>
    private static Val MinMax(ReadOnlySpan<Val> a, bool max)
    {
        var best = Val.Null;
        for (var i = 0; i < a.Length; i++)
        {
            var n = Js.ToNumber(a[i]);
            if (n.Kind == Kind.Float && double.IsNaN(n.Dbl))
            {
                return Val.NaN;
            }

            if (i == 0 || (max ? Js.NumCompare(n, best) > 0 : Js.NumCompare(n, best) < 0))
            {
                best = n;
            }
        }

        return best;
    }

    /// <summary>String(a) of each argument, concatenated; the length is charged before the string is built.</summary>
    private static Val Cat(ReadOnlySpan<Val> a, Budget budget, OpNode node)
    {
        if (a.Length == 1)
        {
            var one = Js.Join(a, "");
            budget.Build(one.Length, node);
            return Val.String(one);
        }

        var parts = new string[a.Length];
        long length = 0;
        for (var i = 0; i < a.Length; i++)
        {
            parts[i] = Js.Join(a.Slice(i, 1), "");
            length += parts[i].Length;
        }

        budget.Build(length, node);
        return Val.String(string.Concat(parts));
    }

    private static Val Merge(ReadOnlySpan<Val> a, Budget budget, OpNode node)
    {
        long size = 0;
        foreach (var v in a)
        {
            size += v.Kind == Kind.Array ? v.Arr.Length : 1;
        }

        budget.Build(size, node);
        var list = new List<Val>();
        foreach (var v in a)
        {
            if (v.Kind == Kind.Array)
            {
                list.AddRange(v.Arr);
            }
            else
            {
                list.Add(v);
            }
        }

        return Val.Array([.. list]);
    }

    /// <summary>json-logic-js: false unless b has indexOf; a substring test for strings, === membership for arrays.</summary>
    public static bool In(in Val a, in Val b)
    {
        if (b.Kind == Kind.String)
        {
            return b.Str.Length > 0 && b.Str.Contains(Js.ToJsString(a), StringComparison.Ordinal);
        }

        if (b.Kind == Kind.Array)
        {
            foreach (var item in b.Arr)
            {
                if (Js.StrictEquals(item, a))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>String.prototype.substr, plus json-logic-js's negative third argument (characters to drop from the end).</summary>
    private static Val Substr(ReadOnlySpan<Val> a)
    {
        var source = Js.ToJsString(a[0]);
        if (a.Length == 3 && Js.LessThan(a[2], Val.Zero))
        {
            var temp = JsSubstr(source, a[1], null);
            // temp.length + end is JavaScript's +: a string (or array) end concatenates instead of adding.
            var end = a[2].Kind is Kind.String or Kind.Array or Kind.Object
                ? Js.ToInteger(Val.String(temp.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + Js.ToJsString(a[2])))
                : temp.Length + Js.ToInteger(a[2]);
            return Val.String(JsSubstr(temp, Val.Zero, end));
        }

        return Val.String(JsSubstr(source, a[1], a.Length == 3 ? Js.ToInteger(a[2]) : null));
    }

    private static string JsSubstr(string s, in Val start, double? length)
    {
        var size = s.Length;
        var intStart = Js.ToInteger(start);
        intStart = intStart < 0 ? Math.Max(size + intStart, 0) : Math.Min(intStart, size);
        var intLength = Math.Clamp(length ?? size, 0, size);
        var intEnd = Math.Min(intStart + intLength, size);
        return intStart >= intEnd ? "" : s.Substring((int)intStart, (int)(intEnd - intStart));
    }

    /// <summary>json-logic-js: the keys (all arguments, or the first if it is an array) whose var is null or "".</summary>
    private static Val Missing(ReadOnlySpan<Val> a, in Scope s)
    {
        var keys = a.Length > 0 && a[0].Kind == Kind.Array ? a[0].Arr : a;
        var plain = s.Plain();
        List<Val>? missing = null;
        foreach (var key in keys)
        {
            var v = VarAccess.Read(plain, VarPath.From(key), null);
            if (v.Kind == Kind.Null || (v.Kind == Kind.String && v.Str.Length == 0))
            {
                (missing ??= []).Add(key);
            }
        }

        return Val.Array(missing is null ? [] : [.. missing]);
    }

    private static Val MissingSome(ReadOnlySpan<Val> a, in Scope s)
    {
        var options = a[1];
        var areMissing = Missing([options], s);
        var count = options.Kind switch
        {
            Kind.Array => options.Arr.Length,
            Kind.String => options.Str.Length,
            _ => 0,
        };
        var needed = Js.ToNumber(a[0]);
        var present = Val.Number(count - areMissing.Arr.Length);
        return Js.NumCompare(present, needed) is >= 0 ? Val.Array([]) : areMissing;
    }
}
