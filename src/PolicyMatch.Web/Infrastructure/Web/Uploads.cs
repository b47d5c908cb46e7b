using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Infrastructure.Web;

/// <summary>What every file upload checks before its own rules: not empty, not over its limit, and its bytes.</summary>
public static class Uploads
{
    public const string Pdf = "application/pdf";

    /// <summary>A PDF starts with <c>%PDF-</c>, whatever its name says.</summary>
    public static bool IsPdf(ReadOnlySpan<byte> bytes) => bytes.StartsWith("%PDF-"u8);

    /// <summary>
    /// The file's bytes, or why they are refused (in the user's language): empty, or larger than
    /// <paramref name="maxBytes"/> — refused from its declared length, before it is read into memory.
    /// <paramref name="limitZh"/> names the limit in Chinese ("附件" gives "附件上限为 10 MB").
    /// </summary>
    public static async Task<(byte[]? Bytes, string? Error)> ReadAsync(IFormFile file, int maxBytes, string limitZh, CancellationToken ct)
    {
        if (file.Length == 0)
        {
            return (null, T("文件是空的。", "The file is empty."));
        }
        if (file.Length > maxBytes)
        {
            return (null, T($"文件过大({file.Length / 1024.0 / 1024.0:0.0} MB),{limitZh}上限为 {maxBytes / 1024 / 1024} MB。",
                $"The file is too large ({file.Length / 1024.0 / 1024.0:0.0} MB); the limit is {maxBytes / 1024 / 1024} MB."));
        }
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, ct);
        return (buffer.ToArray(), null);
    }
}
