// Package assets embeds the files the application ships with: the icon and
// the fonts used on screen and in printed documents, with their licences.
package assets

import "embed"

// FS holds the files of this folder.
//
//go:embed *.png
var FS embed.FS
