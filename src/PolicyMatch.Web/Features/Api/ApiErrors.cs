using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Infrastructure.Web;

namespace PolicyMatch.Web.Features.Api;

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
        // A pooled buffer sized from Content-Length (a match body is about 1 KB): a fresh 80 KB
        // buffer per request was most of the endpoint's allocations under load.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 4096, 256, maxBytes + 1));
        try
        {
            var length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), ct)) > 0)
            {
                length += read;
                if (length > maxBytes)
                {
                    return (null, Bad($"the body is larger than {maxBytes} bytes", "$"));
                }
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
            if (length == 0)
            {
                return (null, Bad("the body is empty: send a JSON object", "$"));
            }
            if (StrictJson.Check(buffer.AsSpan(0, length), 64) is { } invalid)
            {
                return (null, Bad(invalid.Message, invalid.Path));
            }
            var node = JsonNode.Parse(buffer.AsSpan(0, length), documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
            return node is JsonObject obj ? (obj, null) : (null, Bad("the body must be a JSON object", "$"));
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            return (null, Bad($"malformed JSON{where}: {e.Message.Split(" Path:")[0]}", e.Path ?? "$"));
        }
        catch (BadHttpRequestException e) when (!ct.IsCancellationRequested)
        {
            // The client sent less than its Content-Length and closed (seen when a load generator
            // stops mid-request): the client's fault, not an unhandled error.
            return (null, Bad($"the body could not be read: {e.Message}", "$"));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static BadRequestObjectResult Bad(string message, string path) =>
        new(new ApiError(message, [new ApiProblem(path, message)]));

    public static BadRequestObjectResult Bad(string message, IEnumerable<ApiProblem> problems) =>
        new(new ApiError(message, problems.ToList()));
}
