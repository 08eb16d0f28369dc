using Wallboard.Web.Ingest.Twilio;

namespace Wallboard.Tests.Ingest.Twilio;

public class TwilioSignatureTests
{
    // Twilio's worked example ("Secure webhooks", https://www.twilio.com/docs/usage/webhooks/webhooks-security):
    // auth token 12345, URL https://mycompany.com/myapp.php?foo=1&bar=2, POST parameters
    // CallSid=CA1234567890ABCDE, Caller=+12349013030, Digits=1234, From=+12349013030, To=+18005551212,
    // signature 0/KCTR6DLpKmkAf8muzZqo1nDgQ=. Listed out of order on purpose: the algorithm sorts them.
    private const string AuthToken = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string DocumentedSignature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

    private static readonly KeyValuePair<string, string>[] DocumentedForm =
    [
        new("To", "+18005551212"),
        new("From", "+12349013030"),
        new("Digits", "1234"),
        new("Caller", "+12349013030"),
        new("CallSid", "CA1234567890ABCDE"),
    ];

    // The vectors of Twilio's own .NET helper library (twilio-csharp, test/Twilio.Test/Security/
    // RequestValidatorTest.cs): same token and URL, Caller and From +14158675309.
    private static readonly KeyValuePair<string, string>[] LibraryForm =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("From", "+14158675309"),
        new("Digits", "1234"),
        new("To", "+18005551212"),
        new("Caller", "+14158675309"),
    ];

    private static KeyValuePair<string, string>[] With(KeyValuePair<string, string>[] form, string name, string value) =>
        [.. form.Where(p => p.Key != name), new(name, value)];

    [Fact]
    public void The_documented_example_computes_to_the_documented_signature()
    {
        Assert.Equal(DocumentedSignature, TwilioSignature.Compute(AuthToken, Url, DocumentedForm));
        Assert.Equal(TwilioSignatureCheck.Valid, TwilioSignature.Check(AuthToken, Url, DocumentedForm, DocumentedSignature));
    }

    [Fact]
    public void The_helper_librarys_vector_is_valid()
    {
        Assert.Equal(TwilioSignatureCheck.Valid, TwilioSignature.Check(AuthToken, Url, LibraryForm, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Theory]
    // Twilio may sign with the default port added: twilio-csharp TestValidateAddsPortHttps / AddsPortHttp.
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=")]
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")]
    // …or without the port the request came in on: TestValidateRemovesPortHttps / RemovesPortHttp.
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")]
    // …or with it, as given: TestValidateAddsCustomPortHttps.
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "CYn1h0gLBdNxDGkKJg6hYohgeD8=")]
    // Host and scheme case and credentials are kept as written: TestValidateDictionaryMixedCase*,
    // TestValidateCredentialsArePreserved*.
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2", "g9IN/x4Cft2g517EjYvEvM/W7LU=")]
    [InlineData("https://MyCompany.com:1234/myapp.php?foo=1&bar=2", "PCqOZm8cnu/L6+u5i5fuEd+Iac4=")]
    [InlineData("http://MyCompany.com/myapp.php?foo=1&bar=2", "XY7AlKOKL6im4yWyX84gldUrtis=")]
    [InlineData("http://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "PJ08CxXr7KLPjEQCTc8LkUSMwSM=")]
    [InlineData("HTTP://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "hy/l8pca+LFms4cvRdv8uiP6NGc=")]
    [InlineData("http://Username:Password@MyCompany.com/myapp.php?foo=1&bar=2", "SkTSKyDJH9kUlhItI0slbgZ1UsI=")]
    public void The_url_variants_Twilios_own_library_accepts_are_accepted(string url, string signature)
    {
        Assert.Equal(TwilioSignatureCheck.Valid, TwilioSignature.Check(AuthToken, url, LibraryForm, signature));
    }

    [Theory]
    // twilio-csharp's *WithIncorrectSignature cases: the lower-case host's signature does not fit MyCompany.com.
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("http://MyCompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    // One custom port is not another: :1234's signature does not fit a request on :8443.
    [InlineData("https://mycompany.com:8443/myapp.php?foo=1&bar=2", "CYn1h0gLBdNxDGkKJg6hYohgeD8=")]
    // The scheme is signed: https's signature does not fit http.
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    public void Other_urls_are_not_accepted(string url, string signature)
    {
        Assert.Equal(TwilioSignatureCheck.Mismatch, TwilioSignature.Check(AuthToken, url, LibraryForm, signature));
    }

    [Fact]
    public void A_tampered_parameter_value_is_a_mismatch()
    {
        var tampered = With(DocumentedForm, "Digits", "9999");

        Assert.Equal(TwilioSignatureCheck.Mismatch, TwilioSignature.Check(AuthToken, Url, tampered, DocumentedSignature));
    }

    [Fact]
    public void An_added_or_removed_parameter_is_a_mismatch()
    {
        KeyValuePair<string, string>[] added = [.. DocumentedForm, new("CallStatus", "completed")];
        var removed = DocumentedForm.Where(p => p.Key != "Digits");

        Assert.Equal(TwilioSignatureCheck.Mismatch, TwilioSignature.Check(AuthToken, Url, added, DocumentedSignature));
        Assert.Equal(TwilioSignatureCheck.Mismatch, TwilioSignature.Check(AuthToken, Url, removed, DocumentedSignature));
    }

    [Fact]
    public void A_tampered_query_string_is_a_mismatch()
    {
        Assert.Equal(
            TwilioSignatureCheck.Mismatch,
            TwilioSignature.Check(AuthToken, "https://mycompany.com/myapp.php?foo=1&bar=3", DocumentedForm, DocumentedSignature));
    }

    [Fact]
    public void A_tampered_signature_is_a_mismatch()
    {
        Assert.Equal(TwilioSignatureCheck.Mismatch, TwilioSignature.Check(AuthToken, Url, DocumentedForm, "1/KCTR6DLpKmkAf8muzZqo1nDgQ="));
        Assert.Equal(TwilioSignatureCheck.Mismatch, TwilioSignature.Check(AuthToken, Url, DocumentedForm, "0/KCTR6DLpKmkAf8muzZqo1nDgQ"));
        Assert.Equal(TwilioSignatureCheck.Mismatch, TwilioSignature.Check(AuthToken, Url, DocumentedForm, "not base64 at all"));
    }

    [Fact]
    public void Another_accounts_token_is_a_mismatch()
    {
        Assert.Equal(TwilioSignatureCheck.Mismatch, TwilioSignature.Check("54321", Url, DocumentedForm, DocumentedSignature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_header_is_reported_as_missing(string? header)
    {
        Assert.Equal(TwilioSignatureCheck.Missing, TwilioSignature.Check(AuthToken, Url, DocumentedForm, header));
    }

    [Fact]
    public void A_parameter_sent_twice_signs_each_distinct_value_in_order_as_Twilios_libraries_do()
    {
        KeyValuePair<string, string>[] form = [new("b", "2"), new("a", "y"), new("a", "x"), new("a", "x")];
        var expected = TwilioSignature.Compute(AuthToken, Url, [new("a", "x"), new("a", "y"), new("b", "2")]);

        Assert.Equal(expected, TwilioSignature.Compute(AuthToken, Url, form));
        Assert.Equal(TwilioSignature.Compute(AuthToken, Url + "axayb2", []), expected);
    }

    [Theory]
    [InlineData("https://example.com/x?y=1", new[] { "https://example.com/x?y=1", "https://example.com:443/x?y=1" })]
    [InlineData("https://example.com:443/x", new[] { "https://example.com:443/x", "https://example.com/x" })]
    [InlineData("http://example.com", new[] { "http://example.com", "http://example.com:80" })]
    [InlineData("https://u:p@example.com:8443/x", new[] { "https://u:p@example.com:8443/x", "https://u:p@example.com/x" })]
    [InlineData("https://[2001:db8::1]/x", new[] { "https://[2001:db8::1]/x", "https://[2001:db8::1]:443/x" })]
    [InlineData("https://[2001:db8::1]:8443/x", new[] { "https://[2001:db8::1]:8443/x", "https://[2001:db8::1]/x" })]
    [InlineData("not a url", new[] { "not a url" })]
    public void The_url_variants_are_the_url_without_its_port_and_with_the_default_port(string url, string[] variants)
    {
        Assert.Equal(variants, TwilioSignature.UrlVariants(url));
    }
}
