package web

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// A campaign source's QR code, print-ready: black modules on white with
// the quiet zone, the deep link written under it. skip2/go-qrcode makes
// the matrix (error correction level Q: a poster survives some dirt and
// creases); the PNG and the SVG are drawn here from it, so that both carry
// the link as text and look the same.

// qrMatrix returns the QR code of link as rows of dark (true) modules, the
// quiet zone included.
func qrMatrix(link string) ([][]bool, error) {
	q, err := qrcode.New(link, qrcode.High)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	return q.Bitmap(), nil
}

// qrPNG draws the QR code of link at px pixels a module (at least 4) with
// the link under it.
func qrPNG(link string, px int) ([]byte, error) {
	m, err := qrMatrix(link)
	if err != nil {
		return nil, err
	}
	px = max(px, 4)
	side := len(m) * px
	textH := 6 * px
	img := image.NewGray(image.Rect(0, 0, side, side+textH))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for y, row := range m {
		for x, dark := range row {
			if dark {
				draw.Draw(img, image.Rect(x*px, y*px, (x+1)*px, (y+1)*px), image.Black, image.Point{}, draw.Src)
			}
		}
	}
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("qr png: font: %w", err)
	}
	// The largest size at which the link fits the width, at most 3 modules high.
	size := float64(3 * px)
	var face font.Face
	for ; size >= 6; size -= 1 {
		if face, err = opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull}); err != nil {
			return nil, fmt.Errorf("qr png: font: %w", err)
		}
		if font.MeasureString(face, link).Ceil() <= side-2*px {
			break
		}
	}
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	w := d.MeasureString(link)
	d.Dot = fixed.Point26_6{X: (fixed.I(side) - w) / 2, Y: fixed.I(side + textH/2 + int(size)/3)}
	d.DrawString(link)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("qr png: %w", err)
	}
	return b.Bytes(), nil
}

// qrSVG draws the QR code of link as SVG, 80 mm wide, with the link under
// it as text (escaped).
func qrSVG(link string) ([]byte, error) {
	m, err := qrMatrix(link)
	if err != nil {
		return nil, err
	}
	n := len(m)
	textH := 6
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="80mm" height="%.2fmm" viewBox="0 0 %d %d" shape-rendering="crispEdges">`+"\n",
		80*float64(n+textH)/float64(n), n, n+textH)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`+"\n", n, n+textH)
	b.WriteString(`<path fill="#000" d="`)
	for y, row := range m {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			run := x
			for run < len(row) && row[run] {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x, y, run-x, run-x)
			x = run
		}
	}
	b.WriteString(`"/>` + "\n")
	// The font size that lets the link fit the width (about 0.6 em a character).
	size := min(3, float64(n-4)/(0.6*float64(max(len(link), 1))))
	fmt.Fprintf(&b, `<text x="%d" y="%.2f" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="%.2f" text-anchor="middle" fill="#000">%s</text>`+"\n",
		n/2, float64(n)+float64(textH)/2+size/3, size, xmlEscape(link))
	b.WriteString("</svg>\n")
	return []byte(b.String()), nil
}

// xmlEscape escapes s for XML text.
func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // a bytes.Buffer never fails
	return b.String()
}
