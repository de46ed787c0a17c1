/** The lab's reference ("true") time, in epoch ms. */
export interface ReferenceTime {
  nowMs(): number;
}
