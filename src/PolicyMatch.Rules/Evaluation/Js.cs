using System.Globalization;
using System.Text;

namespace PolicyMatch.Rules.Evaluation;

/// <summary>
/// JavaScript's semantics for the values JsonLogic handles: truthiness (JsonLogic's one rule), conversions,
/// loose and strict equality, relational comparison and arithmetic. Numbers are decimal; a double only appears
/// where decimal cannot represent the JavaScript result (NaN, Infinity, overflow).
/// </summary>
internal static class Js
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>JsonLogic truthiness: JavaScript's, except that an empty array is falsy. Unknown is not truthy.</summary>
    public static bool Truthy(in Val v) => v.Kind switch
    {
        Kind.True => true,
        Kind.Number => v.Num != 0m,
        Kind.Float => !double.IsNaN(v.Dbl) && v.Dbl != 0d,
        Kind.String => v.Str.Length > 0,
        Kind.Array => v.Arr.Length > 0,
        Kind.Object => true,
        _ => false,
    };

    // ---------------------------------------------------------------- conversions

    /// <summary>ToNumber: null 0, booleans 0/1, strings by JavaScript's numeric literal grammar, arrays via their string.</summary>
    public static Val ToNumber(in Val v) => v.Kind switch
    {
        Kind.Number or Kind.Float => v,
        Kind.Null or Kind.False => Val.Zero,
        Kind.True => Val.Number(1m),
        Kind.String => StringToNumber(v.Str),
        Kind.Array => StringToNumber(ToJsString(v)),
        _ => Val.NaN,
    };

    /// <summary>ToPrimitive with the default hint: arrays and objects become their string form.</summary>
    public static Val ToPrimitive(in Val v) => v.Kind is Kind.Array or Kind.Object ? Val.String(ToJsString(v)) : v;

    public static Val StringToNumber(string s)
    {
        var t = s.AsSpan().Trim();
        if (t.Length == 0)
        {
            return Val.Zero;
        }

        if (t.Length > 2 && t[0] == '0' && (t[1] | 0x20) is 'x' or 'o' or 'b')
        {
            return ParseRadix(t[2..], (t[1] | 0x20) switch { 'x' => 16, 'o' => 8, _ => 2 });
        }

        var n = ScanDecimalLiteral(t, out var isInfinity);
        if (n != t.Length)
        {
            return Val.NaN;
        }

        return isInfinity ? Val.Double(t[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity) : ParseNumber(t);
    }

    /// <summary>parseFloat: the longest prefix (after leading white space) that is a decimal literal, else NaN.</summary>
    public static Val ParseFloat(in Val v)
    {
        if (v.IsNumeric)
        {
            return v; // parseFloat(String(x)) gives x back for any number
        }

        var t = ToJsString(v).AsSpan().TrimStart();
        var n = ScanDecimalLiteral(t, out var isInfinity);
        if (n == 0)
        {
            return Val.NaN;
        }

        return isInfinity ? Val.Double(t[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity) : ParseNumber(t[..n]);
    }

    /// <summary>
    /// Length of the StrDecimalLiteral at the start of <paramref name="s"/> ([+-] digits [. digits] [e [+-] digits],
    /// or [+-]Infinity); 0 when there is none.
    /// </summary>
    private static int ScanDecimalLiteral(ReadOnlySpan<char> s, out bool isInfinity)
    {
        isInfinity = false;
        var i = 0;
        if (i < s.Length && s[i] is '+' or '-')
        {
            i++;
        }

        if (s[i..].StartsWith("Infinity"))
        {
            isInfinity = true;
            return i + 8;
        }

        var digits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
            digits++;
        }

        if (i < s.Length && s[i] == '.')
        {
            var j = i + 1;
            var frac = 0;
            while (j < s.Length && char.IsAsciiDigit(s[j]))
            {
                j++;
                frac++;
            }

            if (digits + frac > 0)
            {
                i = j;
                digits += frac;
            }
        }

        if (digits == 0)
        {
            return 0;
        }

        if (i < s.Length && (s[i] | 0x20) == 'e')
        {
            var j = i + 1;
            if (j < s.Length && s[j] is '+' or '-')
            {
                j++;
            }

            var expDigits = 0;
            while (j < s.Length && char.IsAsciiDigit(s[j]))
            {
                j++;
                expDigits++;
            }

            if (expDigits > 0)
            {
                i = j;
            }
        }

        return i;
    }

    /// <summary>Parses a validated decimal literal, as decimal when it fits without losing the value, else as double.</summary>
    public static Val ParseNumber(ReadOnlySpan<char> s)
    {
        if (decimal.TryParse(s, NumberStyles.Float, Inv, out var d))
        {
            // decimal silently rounds values below 1e-28 to zero; keep those as double like JavaScript.
            if (d != 0m || !HasNonZeroDigit(s))
            {
                return Val.Number(d);
            }
        }

        return Val.Double(double.Parse(s, NumberStyles.Float, Inv));
    }

    private static bool HasNonZeroDigit(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c is 'e' or 'E')
            {
                return false;
            }

            if (c is >= '1' and <= '9')
            {
                return true;
            }
        }

        return false;
    }

    private static Val ParseRadix(ReadOnlySpan<char> digits, int radix)
    {
        decimal acc = 0;
        double dacc = 0;
        var overflow = false;
        foreach (var c in digits)
        {
            var v = char.IsAsciiDigit(c) ? c - '0' : (c | 0x20) is >= 'a' and <= 'f' ? (c | 0x20) - 'a' + 10 : 99;
            if (v >= radix)
            {
                return Val.NaN;
            }

            dacc = dacc * radix + v;
            if (!overflow)
            {
                try
                {
                    acc = acc * radix + v;
                }
                catch (OverflowException)
                {
                    overflow = true;
                }
            }
        }

        return overflow ? Val.Double(dacc) : Val.Number(acc);
    }

    /// <summary>JavaScript's String(v); inside arrays (Array.prototype.join) null becomes the empty string.</summary>
    public static string ToJsString(in Val v) => v.Kind switch
    {
        Kind.Null => "null",
        Kind.False => "false",
        Kind.True => "true",
        Kind.Number => FormatDecimal(v.Num),
        Kind.Float => FormatDouble(v.Dbl),
        Kind.String => v.Str,
        Kind.Array => Join(v.Arr, ","),
        Kind.Object => "[object Object]",
        _ => "null",
    };

    /// <summary>Array.prototype.join: null elements are empty strings.</summary>
    public static string Join(ReadOnlySpan<Val> items, string separator)
    {
        if (items.Length == 1)
        {
            return items[0].Kind == Kind.Null ? "" : ToJsString(items[0]);
        }

        var sb = new StringBuilder();
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(separator);
            }

            if (items[i].Kind != Kind.Null)
            {
                sb.Append(ToJsString(items[i]));
            }
        }

        return sb.ToString();
    }

    /// <summary>A decimal as JavaScript prints the same number: no trailing zeros, exponent form below 1e-6 and from 1e21.</summary>
    public static string FormatDecimal(decimal d)
    {
        if (d == 0m)
        {
            return "0";
        }

        var abs = Math.Abs(d);
        if (abs >= 1e21m || abs < 0.000001m)
        {
            return FormatDouble((double)d);
        }

        return Normalize(d).ToString(Inv);
    }

    /// <summary>Removes trailing zeros from the scale (2.50 becomes 2.5) so output matches the JSON a JavaScript engine writes.</summary>
    public static decimal Normalize(decimal d) => d / 1.000000000000000000000000000000000m;

    /// <summary>Number.prototype.toString() for a double (shortest round-trip digits, JavaScript's exponent rules).</summary>
    public static string FormatDouble(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "Infinity" : "-Infinity";
        }

        if (d == 0d)
        {
            return "0";
        }

        // "E16" is not shortest; "R" is, in .NET Core 3.0 and later. Split it into digits and exponent.
        var r = Math.Abs(d).ToString("R", Inv);
        var ePos = r.IndexOfAny(['E', 'e']);
        var mantissa = ePos < 0 ? r : r[..ePos];
        var exp = ePos < 0 ? 0 : int.Parse(r.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, Inv);
        var dot = mantissa.IndexOf('.');
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var fracPart = dot < 0 ? "" : mantissa[(dot + 1)..];
        var digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - digits.Length;
        digits = digits.TrimEnd('0');
        // n: the position of the decimal point relative to the digit string (value = 0.digits × 10^n).
        var n = intPart.Length + exp - leadingZeros;
        var k = digits.Length;
        var sb = new StringBuilder();
        if (d < 0)
        {
            sb.Append('-');
        }

        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits, 1, k - 1);
            }

            sb.Append('e').Append(n - 1 >= 0 ? "+" : "-").Append(Math.Abs(n - 1).ToString(Inv));
        }

        return sb.ToString();
    }

    /// <summary>ToIntegerOrInfinity, as used by String.prototype.substr: NaN is 0, fractions truncate.</summary>
    public static double ToInteger(in Val v)
    {
        var n = ToNumber(v);
        if (n.Kind == Kind.Number)
        {
            return (double)decimal.Truncate(n.Num);
        }

        var d = n.Dbl;
        return double.IsNaN(d) ? 0 : Math.Truncate(d);
    }

    // ---------------------------------------------------------------- equality and comparison

    /// <summary>JavaScript ===: same type and value; arrays and objects by reference.</summary>
    public static bool StrictEquals(in Val a, in Val b)
    {
        if (a.Kind == Kind.Number && b.Kind == Kind.Number)
        {
            return a.Num == b.Num;
        }

        if (a.IsNumeric && b.IsNumeric)
        {
            return NumEquals(a, b);
        }

        if (a.Kind != b.Kind)
        {
            return false;
        }

        return a.Kind switch
        {
            Kind.String => string.Equals(a.Str, b.Str),
            Kind.Array or Kind.Object => ReferenceEquals(a.Obj, b.Obj),
            _ => true, // null, false, true
        };
    }

    /// <summary>JavaScript == (the Abstract Equality Comparison).</summary>
    public static bool LooseEquals(in Val a, in Val b)
    {
        if (a.IsNumeric && b.IsNumeric)
        {
            return NumEquals(a, b);
        }

        if (a.Kind == b.Kind)
        {
            return StrictEquals(a, b);
        }

        if (a.Kind == Kind.Null || b.Kind == Kind.Null)
        {
            return false;
        }

        if (a.Kind is Kind.True or Kind.False)
        {
            return LooseEquals(ToNumber(a), b);
        }

        if (b.Kind is Kind.True or Kind.False)
        {
            return LooseEquals(a, ToNumber(b));
        }

        if (a.IsNumeric && b.Kind == Kind.String)
        {
            return NumEquals(a, StringToNumber(b.Str));
        }

        if (a.Kind == Kind.String && b.IsNumeric)
        {
            return NumEquals(StringToNumber(a.Str), b);
        }

        if (a.Kind is Kind.Array or Kind.Object && (b.IsNumeric || b.Kind == Kind.String))
        {
            return LooseEquals(ToPrimitive(a), b);
        }

        if (b.Kind is Kind.Array or Kind.Object && (a.IsNumeric || a.Kind == Kind.String))
        {
            return LooseEquals(a, ToPrimitive(b));
        }

        return false;
    }

    public static bool NumEquals(in Val a, in Val b) =>
        a.Kind == Kind.Number && b.Kind == Kind.Number ? a.Num == b.Num : a.AsDouble == b.AsDouble;

    /// <summary>
    /// JavaScript's relational comparison of a and b: -1, 0 or 1, or null when it is undefined (a NaN was involved,
    /// which makes every relational operator false). Two strings compare by UTF-16 code units, anything else as numbers.
    /// </summary>
    public static int? Compare(in Val a, in Val b)
    {
        if (a.Kind == Kind.Number && b.Kind == Kind.Number)
        {
            return decimal.Compare(a.Num, b.Num);
        }

        var pa = ToPrimitive(a);
        var pb = ToPrimitive(b);
        if (pa.Kind == Kind.String && pb.Kind == Kind.String)
        {
            return Math.Sign(string.CompareOrdinal(pa.Str, pb.Str));
        }

        return NumCompare(ToNumber(pa), ToNumber(pb));
    }

    public static int? NumCompare(in Val a, in Val b)
    {
        if (a.Kind == Kind.Number && b.Kind == Kind.Number)
        {
            return decimal.Compare(a.Num, b.Num);
        }

        var x = a.AsDouble;
        var y = b.AsDouble;
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return null;
        }

        return x.CompareTo(y);
    }

    public static bool LessThan(in Val a, in Val b) => Compare(a, b) is < 0;

    public static bool LessOrEqual(in Val a, in Val b) => Compare(a, b) is <= 0;

    public static bool GreaterThan(in Val a, in Val b) => Compare(a, b) is > 0;

    public static bool GreaterOrEqual(in Val a, in Val b) => Compare(a, b) is >= 0;

    // ---------------------------------------------------------------- arithmetic (operands already numbers)

    public static Val Add(in Val a, in Val b)
    {
        if (a.Kind == Kind.Number && b.Kind == Kind.Number)
        {
            try
            {
                return Val.Number(a.Num + b.Num);
            }
            catch (OverflowException)
            {
                // Fall through to double, as JavaScript would simply carry on.
            }
        }

        return Val.Double(a.AsDouble + b.AsDouble);
    }

    public static Val Subtract(in Val a, in Val b)
    {
        if (a.Kind == Kind.Number && b.Kind == Kind.Number)
        {
            try
            {
                return Val.Number(a.Num - b.Num);
            }
            catch (OverflowException)
            {
            }
        }

        return Val.Double(a.AsDouble - b.AsDouble);
    }

    public static Val Multiply(in Val a, in Val b)
    {
        if (a.Kind == Kind.Number && b.Kind == Kind.Number)
        {
            try
            {
                return Val.Number(a.Num * b.Num);
            }
            catch (OverflowException)
            {
            }
        }

        return Val.Double(a.AsDouble * b.AsDouble);
    }

    public static Val Divide(in Val a, in Val b)
    {
        if (a.Kind == Kind.Number && b.Kind == Kind.Number && b.Num != 0m)
        {
            try
            {
                return Val.Number(a.Num / b.Num);
            }
            catch (OverflowException)
            {
            }
        }

        return Val.Double(a.AsDouble / b.AsDouble);
    }

    public static Val Remainder(in Val a, in Val b)
    {
        if (a.Kind == Kind.Number && b.Kind == Kind.Number && b.Num != 0m)
        {
            return Val.Number(a.Num % b.Num);
        }

        return Val.Double(a.AsDouble % b.AsDouble);
    }

    public static Val Negate(in Val a) => a.Kind == Kind.Number ? Val.Number(-a.Num) : Val.Double(-a.Dbl);

    // ---------------------------------------------------------------- property access (var)

    /// <summary>
    /// data[key] as JavaScript reads it: object members, array elements by canonical index, string characters,
    /// and the length of arrays and strings. False when the property does not exist (undefined).
    /// </summary>
    public static bool TryGetProperty(in Val data, string key, out Val value)
    {
        switch (data.Kind)
        {
            case Kind.Object:
                return data.Map.TryGetValue(key, out value);
            case Kind.Array:
                {
                    var arr = data.Arr;
                    if (TryIndex(key, out var i) && i < arr.Length)
                    {
                        value = arr[i];
                        return true;
                    }

                    if (key == "length")
                    {
                        value = Val.Number(arr.Length);
                        return true;
                    }

                    break;
                }

            case Kind.String:
                {
                    var s = data.Str;
                    if (TryIndex(key, out var i) && i < s.Length)
                    {
                        value = Val.String(s[i].ToString());
                        return true;
                    }

                    if (key == "length")
                    {
                        value = Val.Number(s.Length);
                        return true;
                    }

                    break;
                }
        }

        value = default;
        return false;
    }

    /// <summary>A canonical array index: "0" or digits without a leading zero.</summary>
    private static bool TryIndex(string key, out int index)
    {
        index = 0;
        if (key.Length == 0 || key.Length > 9 || (key.Length > 1 && key[0] == '0'))
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            index = index * 10 + (c - '0');
        }

        return true;
    }
}
