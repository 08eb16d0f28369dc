using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Wallboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AdminScreens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsActive",
                table: "LeadSources",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "TokenHint",
                table: "DisplayLinks",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "TokenHint",
                table: "ApiTokens",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IsActive",
                table: "LeadSources");

            migrationBuilder.DropColumn(
                name: "TokenHint",
                table: "DisplayLinks");

            migrationBuilder.DropColumn(
                name: "TokenHint",
                table: "ApiTokens");
        }
    }
}
