using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;

namespace PolicyMatch.Web.Features.Api;

/// <summary>The API's error body: a sentence, and each problem with the JSON path it concerns.</summary>
public sealed record ApiProblem(string Path, string Message);

public sealed record ApiError(string Error, IReadOnlyList<ApiProblem> Problems);

public static class ApiBody
{
    /// <summary>
    /// Reads the request body as a JSON object. Malformed JSON, a wrong content type or an oversized
    /// body come back as a 400 result naming the problem (line, position, path) instead of a 500.
    /// </summary>
    public static async Task<(JsonObject? Body, IActionResult? Error)> ReadObjectAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength is > 0 && request.ContentLength > maxBytes)
        {
            return (null, Bad($"the body is larger than {maxBytes} bytes", "$"));
        }
        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new ObjectResult(new ApiError("send the body as application/json", [new ApiProblem("$", $"content type '{type}'")])) { StatusCode = 415 });
        }
        try
        {
            using var limited = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
            {
                if (limited.Length + read > maxBytes)
                {
                    return (null, Bad($"the body is larger than {maxBytes} bytes", "$"));
                }
                limited.Write(buffer, 0, read);
            }
            if (limited.Length == 0)
            {
                return (null, Bad("the body is empty: send a JSON object", "$"));
            }
            var node = JsonNode.Parse(limited.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
            return node is JsonObject obj ? (obj, null) : (null, Bad("the body must be a JSON object", "$"));
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            return (null, Bad($"malformed JSON{where}: {e.Message.Split(" Path:")[0]}", e.Path ?? "$"));
        }
    }

    public static BadRequestObjectResult Bad(string message, string path) =>
        new(new ApiError(message, [new ApiProblem(path, message)]));

    public static BadRequestObjectResult Bad(string message, IEnumerable<ApiProblem> problems) =>
        new(new ApiError(message, problems.ToList()));
}
