using System.ComponentModel.DataAnnotations;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Shared;

// Validation attributes whose messages are written in both languages where they are declared; the
// request's UI culture picks one when the message is formatted.

public sealed class RequiredTextAttribute(string zh, string en) : RequiredAttribute
{
    public override string FormatErrorMessage(string name) => T(zh, en);
}

public sealed class EmailTextAttribute(string zh, string en) : DataTypeAttribute(DataType.EmailAddress)
{
    private static readonly EmailAddressAttribute Email = new();

    public override bool IsValid(object? value) => value is null || Email.IsValid(value);

    public override string FormatErrorMessage(string name) => T(zh, en);
}

public sealed class LengthTextAttribute(int min, int max, string zh, string en) : StringLengthAttribute(max)
{
    public override bool IsValid(object? value)
    {
        MinimumLength = min;
        return base.IsValid(value);
    }

    public override string FormatErrorMessage(string name) => T(zh, en);
}

public sealed class SameAsAttribute(string other, string zh, string en) : CompareAttribute(other)
{
    public override string FormatErrorMessage(string name) => T(zh, en);
}
