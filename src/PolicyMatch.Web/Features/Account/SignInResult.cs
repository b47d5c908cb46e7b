namespace PolicyMatch.Web.Features.Account;

public enum SignInResult { Success, WrongCredentials, LockedOut }
