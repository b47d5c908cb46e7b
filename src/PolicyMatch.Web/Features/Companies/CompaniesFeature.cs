namespace PolicyMatch.Web.Features.Companies;

public static class CompaniesFeature
{
    /// <summary>Companies, who may act for them, and the verification of their ownership.</summary>
    public static IServiceCollection AddCompaniesFeature(this IServiceCollection services) => services
        .AddSingleton<CompanyRepository>()
        .AddSingleton<CompanyAccess>()
        .AddSingleton<VerificationRepository>();
}
