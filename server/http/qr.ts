import QRCode from 'qrcode';

/** A QR code as inline SVG (no script, no request), labelled for screen readers. */
export async function qrSvg(url: string, label: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  const escaped = label.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]!));
  return svg.replace('<svg ', `<svg role="img" aria-label="${escaped}" class="qr" `);
}
