namespace PolicyMatch.Web.Infrastructure.Web;

/// <summary>
/// The API's error body: a sentence, and each problem with the JSON path it concerns. Here rather than in
/// Features/Api because the request limits in <see cref="Hardening"/> answer API callers in the same shape.
/// </summary>
public sealed record ApiError(string Error, IReadOnlyList<ApiProblem> Problems);

/// <summary>One problem of an API request, with the JSON path it concerns ("$" for the whole body).</summary>
public sealed record ApiProblem(string Path, string Message);
