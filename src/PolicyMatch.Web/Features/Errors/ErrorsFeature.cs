namespace PolicyMatch.Web.Features.Errors;

public static class ErrorsFeature
{
    /// <summary>RFC 9457 problem details for the API's errors; the pages' errors are this feature's controller.</summary>
    public static IServiceCollection AddErrorsFeature(this IServiceCollection services) => services.AddProblemDetails();
}
