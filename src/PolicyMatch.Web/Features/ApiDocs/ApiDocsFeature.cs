namespace PolicyMatch.Web.Features.ApiDocs;

public static class ApiDocsFeature
{
    /// <summary>The OpenAPI document of the JSON API (served at /openapi/v1.json, read by the API docs page).</summary>
    public static IServiceCollection AddApiDocsFeature(this IServiceCollection services) => services.AddOpenApi();
}
