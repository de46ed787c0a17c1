import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Matches, MaxLength, Min } from 'class-validator';

/**
 * Characters that can make a name look like another one in the console (issue 13.9):
 * controls (NUL included), format characters (bidi overrides and isolates, zero-width
 * space/joiners, BOM), lone surrogates, line/paragraph separators. Refused, not
 * stripped: a silently altered name would be a different customer.
 */
export const SPOOFING_CHARACTERS = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const WITHOUT_SPOOFING_CHARACTERS = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]*$/u;

export class CreateReservationDto {
  @ApiProperty({ example: 1, description: 'Seat number, 1..MAX_SEATS' })
  @IsInt({ message: 'seat_id must be an integer' })
  @Min(1, { message: 'seat_id must be at least 1' })
  seat_id!: number;

  @ApiProperty({ example: 'Ana', maxLength: 100 })
  // Trimmed and put in Unicode NFC, so "é" typed two ways is one name.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().normalize('NFC') : value))
  @IsString({ message: 'customer_name must be a string' })
  @Matches(WITHOUT_SPOOFING_CHARACTERS, {
    message: 'customer_name must not contain control, bidirectional-override, zero-width or other invisible characters',
  })
  @IsNotEmpty({ message: 'customer_name must not be empty' })
  @MaxLength(100, { message: 'customer_name must be at most 100 characters' })
  customer_name!: string;

  @ApiProperty({ example: 'server-2', description: 'Booking server that receives the attempt' })
  @IsString({ message: 'server_id must be a string' })
  @IsNotEmpty({ message: 'server_id must not be empty' })
  server_id!: string;
}
