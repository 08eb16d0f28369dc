using Wallboard.Domain.Phones;

namespace Wallboard.Tests.Domain.Phones;

public class CallerNumberTests
{
    [Theory]
    [InlineData("(312) 555-0142", "+13125550142")]
    [InlineData("312.555.0142", "+13125550142")]
    [InlineData("3125550142", "+13125550142")]
    [InlineData("1-312-555-0142", "+13125550142")]
    [InlineData("+1 312 555 0142", "+13125550142")]
    [InlineData("+13125550142", "+13125550142")]
    [InlineData("0044 20 7946 0958", "+442079460958")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData(" 312-555-0142 ", "+13125550142")]
    public void Common_formats_normalize_to_e164(string raw, string expected)
    {
        var number = CallerNumber.Parse(raw, "US");

        Assert.Equal(expected, number.E164);
        Assert.False(number.IsWithheld);
    }

    [Fact]
    public void National_numbers_are_read_in_the_stores_country()
    {
        Assert.Equal("+442079460958", CallerNumber.Parse("020 7946 0958", "GB").E164);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("anonymous")]
    [InlineData("Anonymous")]
    [InlineData("PRIVATE")]
    [InlineData("Restricted")]
    [InlineData("unknown")]
    [InlineData("+266696687")]
    [InlineData("Anonymous <anonymous>")]
    public void Withheld_callers_are_recognised(string? raw)
    {
        var number = CallerNumber.Parse(raw, "US");

        Assert.True(number.IsWithheld);
        Assert.Null(number.E164);
        Assert.Equal("Private", number.Masked);
    }

    [Fact]
    public void Unparseable_caller_id_keeps_the_raw_text_and_no_e164()
    {
        var number = CallerNumber.Parse("12", "US");

        Assert.False(number.IsWithheld);
        Assert.Null(number.E164);
        Assert.Equal("12", number.Raw);
    }

    [Theory]
    [InlineData("+13125554821", "•••-•••-4821")]
    [InlineData("+442079460958", "•••-•••-0958")]
    [InlineData("12", "•••-•••-••12")]
    [InlineData(null, "Private")]
    [InlineData("", "Private")]
    [InlineData("anonymous", "Private")]
    public void Masking_shows_only_the_last_four_digits(string? number, string expected)
    {
        Assert.Equal(expected, PhoneMasking.Mask(number));
    }

    [Fact]
    public void Masked_caller_never_contains_more_than_four_of_its_digits()
    {
        var number = CallerNumber.Parse("(312) 555-4821", "US");

        Assert.Equal("•••-•••-4821", number.Masked);
        Assert.Equal(4, number.Masked.Count(char.IsAsciiDigit));
    }
}
