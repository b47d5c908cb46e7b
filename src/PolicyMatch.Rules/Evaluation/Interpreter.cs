using System.Runtime.CompilerServices;

namespace PolicyMatch.Rules.Evaluation;

[InlineArray(2)]
internal struct Args2
{
    private Val _element;
}

[InlineArray(3)]
internal struct Args3
{
    private Val _element;
}

/// <summary>
/// The dispatcher: compiles parsed nodes into closures once, so evaluation never looks at JSON or operator names.
/// Ordinary operators get their arguments evaluated first (and, in three-valued mode, an unknown argument makes
/// the result unknown unless the operator says it sees unknowns); special forms compile themselves.
/// </summary>
internal sealed class Interpreter
{
    public static readonly Interpreter Instance = new();

    public Eval Compile(Node node) => node switch
    {
        LiteralNode l => Literal(l.Value),
        ArrayNode a => CompileArray(a),
        OpNode op when op.Op.Special is { } special => special(op, this),
        OpNode op => CompileFunction(op),
        _ => throw new InvalidOperationException("unexpected node " + node.GetType().Name),
    };

    public Eval[] CompileAll(Node[] nodes)
    {
        var result = new Eval[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            result[i] = Compile(nodes[i]);
        }

        return result;
    }

    private static Eval Literal(Val v) => (in Scope _) => v;

    private Eval CompileArray(ArrayNode a)
    {
        var items = CompileAll(a.Items);
        return (in Scope s) =>
        {
            var result = new Val[items.Length];
            MissingSet? missing = null;
            var unknown = false;
            for (var i = 0; i < items.Length; i++)
            {
                result[i] = items[i](s);
                if (result[i].IsUnknown)
                {
                    unknown = true;
                    missing = MissingSet.Union(missing, result[i].Missing);
                }
            }

            return unknown ? Val.Unknown(missing) : Val.Array(result);
        };
    }

    private Eval CompileFunction(OpNode op)
    {
        var fn = op.Op.FunctionFor?.Invoke(op) ?? op.Op.Function!;
        var seesUnknown = op.Op.SeesUnknown;
        var args = CompileAll(op.Args);
        switch (args.Length)
        {
            case 0:
                return (in Scope s) => fn([], s);
            case 1:
                {
                    var a0 = args[0];
                    return (in Scope s) =>
                    {
                        var v = a0(s);
                        return v.IsUnknown && !seesUnknown ? v : fn(new ReadOnlySpan<Val>(in v), s);
                    };
                }

            case 2:
                {
                    var a0 = args[0];
                    var a1 = args[1];
                    return (in Scope s) =>
                    {
                        var buf = default(Args2);
                        buf[0] = a0(s);
                        buf[1] = a1(s);
                        if (!seesUnknown && (buf[0].IsUnknown || buf[1].IsUnknown))
                        {
                            return UnknownOf(buf);
                        }

                        return fn(buf, s);
                    };
                }

            case 3:
                {
                    var a0 = args[0];
                    var a1 = args[1];
                    var a2 = args[2];
                    return (in Scope s) =>
                    {
                        var buf = default(Args3);
                        buf[0] = a0(s);
                        buf[1] = a1(s);
                        buf[2] = a2(s);
                        if (!seesUnknown && (buf[0].IsUnknown || buf[1].IsUnknown || buf[2].IsUnknown))
                        {
                            return UnknownOf(buf);
                        }

                        return fn(buf, s);
                    };
                }

            default:
                return (in Scope s) =>
                {
                    var buf = new Val[args.Length];
                    var unknown = false;
                    for (var i = 0; i < buf.Length; i++)
                    {
                        buf[i] = args[i](s);
                        unknown |= buf[i].IsUnknown;
                    }

                    return unknown && !seesUnknown ? UnknownOf(buf) : fn(buf, s);
                };
        }
    }

    /// <summary>Unknown, with the union of what the unknown arguments were missing.</summary>
    public static Val UnknownOf(ReadOnlySpan<Val> args)
    {
        MissingSet? missing = null;
        foreach (var a in args)
        {
            if (a.IsUnknown)
            {
                missing = MissingSet.Union(missing, a.Missing);
            }
        }

        return Val.Unknown(missing);
    }
}

/// <summary>The operators that control their own evaluation.</summary>
internal static class SpecialForms
{
    /// <summary>var: the path is usually a literal and is then split (and resolved to a fact slot) once, here.</summary>
    public static Eval Var(OpNode node, Interpreter c)
    {
        var fallback = node.Args.Length > 1 ? c.Compile(node.Args[1]) : null;
        if (node.Args.Length == 0)
        {
            return (in Scope s) => VarAccess.Read(s, VarPath.Whole, fallback);
        }

        if (node.Args[0] is LiteralNode lit)
        {
            var path = VarPath.From(lit.Value);
            return (in Scope s) => VarAccess.Read(s, path, fallback);
        }

        var pathEval = c.Compile(node.Args[0]);
        return (in Scope s) =>
        {
            var p = pathEval(s);
            return p.IsUnknown ? p : VarAccess.Read(s, VarPath.From(p), fallback);
        };
    }

    /// <summary>if / ?: — condition, value pairs and an optional else. An unknown condition makes the result unknown.</summary>
    public static Eval If(OpNode node, Interpreter c)
    {
        var ev = c.CompileAll(node.Args);
        return (in Scope s) =>
        {
            var i = 0;
            for (; i < ev.Length - 1; i += 2)
            {
                var cond = ev[i](s);
                if (cond.IsUnknown)
                {
                    return cond;
                }

                if (Js.Truthy(cond))
                {
                    return ev[i + 1](s);
                }
            }

            return i == ev.Length - 1 ? ev[i](s) : Val.Null;
        };
    }

    /// <summary>and: the first falsy value, else the last. Kleene: a known falsy value wins over unknowns.</summary>
    public static Eval And(OpNode node, Interpreter c)
    {
        var ev = c.CompileAll(node.Args);
        return (in Scope s) =>
        {
            var cur = Val.Null;
            MissingSet? missing = null;
            var unknown = false;
            foreach (var e in ev)
            {
                cur = e(s);
                if (cur.IsUnknown)
                {
                    unknown = true;
                    missing = MissingSet.Union(missing, cur.Missing);
                }
                else if (!Js.Truthy(cur))
                {
                    return cur;
                }
            }

            return unknown ? Val.Unknown(missing) : cur;
        };
    }

    /// <summary>or: the first truthy value, else the last. Kleene: a known truthy value wins over unknowns.</summary>
    public static Eval Or(OpNode node, Interpreter c)
    {
        var ev = c.CompileAll(node.Args);
        return (in Scope s) =>
        {
            var cur = Val.Null;
            MissingSet? missing = null;
            var unknown = false;
            foreach (var e in ev)
            {
                cur = e(s);
                if (cur.IsUnknown)
                {
                    unknown = true;
                    missing = MissingSet.Union(missing, cur.Missing);
                }
                else if (Js.Truthy(cur))
                {
                    return cur;
                }
            }

            return unknown ? Val.Unknown(missing) : cur;
        };
    }

    public static Eval Map(OpNode node, Interpreter c)
    {
        var (data, logic) = (c.Compile(node.Args[0]), c.Compile(node.Args[1]));
        var cost = Budget.CostOf(node.Args[1]);
        return (in Scope s) =>
        {
            var d = data(s);
            if (d.Kind != Kind.Array)
            {
                return d.IsUnknown ? d : Val.Array([]);
            }

            var items = d.Arr;
            var budget = s.Charged;
            budget.Build(items.Length, node);
            var result = new Val[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                budget.Step(cost, node);
                result[i] = logic(s.Nested(items[i]));
            }

            return Val.Array(result);
        };
    }

    public static Eval Filter(OpNode node, Interpreter c)
    {
        var (data, logic) = (c.Compile(node.Args[0]), c.Compile(node.Args[1]));
        var cost = Budget.CostOf(node.Args[1]);
        return (in Scope s) =>
        {
            var d = data(s);
            if (d.Kind != Kind.Array)
            {
                return d.IsUnknown ? d : Val.Array([]);
            }

            var budget = s.Charged;
            var result = new List<Val>();
            foreach (var item in d.Arr)
            {
                budget.Step(cost, node);
                if (Js.Truthy(logic(s.Nested(item))))
                {
                    result.Add(item);
                }
            }

            budget.Build(result.Count, node);
            return Val.Array([.. result]);
        };
    }

    /// <summary>reduce: the logic sees {"current", "accumulator"}; the initial value (default null) is read in the outer scope.</summary>
    public static Eval Reduce(OpNode node, Interpreter c)
    {
        var (data, logic) = (c.Compile(node.Args[0]), c.Compile(node.Args[1]));
        var initial = node.Args.Length > 2 ? c.Compile(node.Args[2]) : null;
        var cost = Budget.CostOf(node.Args[1]);
        return (in Scope s) =>
        {
            var d = data(s);
            var acc = initial is null ? Val.Null : initial(s);
            if (d.IsUnknown || acc.IsUnknown)
            {
                return Interpreter.UnknownOf([d, acc]);
            }

            if (d.Kind != Kind.Array)
            {
                return acc;
            }

            var budget = s.Charged;
            foreach (var item in d.Arr)
            {
                budget.Step(cost, node);
                var scope = new Dictionary<string, Val>(2, StringComparer.Ordinal) { ["current"] = item, ["accumulator"] = acc };
                acc = logic(s.Nested(Val.Object(scope)));
            }

            return acc;
        };
    }

    /// <summary>all: false for an empty or non-array collection (JsonLogic's rule), else every element truthy.</summary>
    public static Eval All(OpNode node, Interpreter c) => Quantifier(node, c, whenEmpty: false, stopWhenTruthy: false, onStop: false);

    /// <summary>none: true for an empty or non-array collection, else no element truthy.</summary>
    public static Eval None(OpNode node, Interpreter c) => Quantifier(node, c, whenEmpty: true, stopWhenTruthy: true, onStop: false);

    /// <summary>some: false for an empty or non-array collection, else at least one element truthy.</summary>
    public static Eval Some(OpNode node, Interpreter c) => Quantifier(node, c, whenEmpty: false, stopWhenTruthy: true, onStop: true);

    private static Eval Quantifier(OpNode node, Interpreter c, bool whenEmpty, bool stopWhenTruthy, bool onStop)
    {
        var (data, logic) = (c.Compile(node.Args[0]), c.Compile(node.Args[1]));
        var cost = Budget.CostOf(node.Args[1]);
        return (in Scope s) =>
        {
            var d = data(s);
            if (d.IsUnknown)
            {
                return d;
            }

            if (d.Kind != Kind.Array || d.Arr.Length == 0)
            {
                return Val.Bool(whenEmpty);
            }

            var budget = s.Charged;
            foreach (var item in d.Arr)
            {
                budget.Step(cost, node);
                if (Js.Truthy(logic(s.Nested(item))) == stopWhenTruthy)
                {
                    return Val.Bool(onStop);
                }
            }

            return Val.Bool(!onStop);
        };
    }
}
